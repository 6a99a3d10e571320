package dev.berth.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code a=1&b=2}, as a query string or an HTML form's body ({@code application/x-www-form-urlencoded}) sends it. */
final class UrlForm {

    private UrlForm() {}

    /** Name to value, decoded; a name without "=" maps to "". Null or empty: no fields. A bad escape is a 400. */
    static Map<String, String> decode(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        try {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed form or query string: " + e.getMessage());
        }
        return out;
    }
}
