package dev.berth.image;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge (RFC 7235), e.g.
 * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"}.
 *
 * @param scheme lower case: "bearer" or "basic"
 */
public record AuthChallenge(String scheme, Map<String, String> params) {

    public AuthChallenge {
        params = Map.copyOf(params);
    }

    /** Parses the header value; {@link IllegalArgumentException} when it has no scheme. */
    public static AuthChallenge parse(String header) {
        String text = header == null ? "" : header.trim();
        int space = text.indexOf(' ');
        String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        if (scheme.isEmpty()) {
            throw new IllegalArgumentException("empty WWW-Authenticate header");
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = space < 0 ? text.length() : space + 1;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            i = eq + 1;
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < text.length()) {
                        c = text.charAt(i++);
                    }
                    value.append(c);
                }
                i++; // closing quote
            } else {
                while (i < text.length() && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            params.put(key, value.toString().trim());
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
        }
        return new AuthChallenge(scheme, params);
    }

    public String param(String name) {
        return params.get(name);
    }
}
