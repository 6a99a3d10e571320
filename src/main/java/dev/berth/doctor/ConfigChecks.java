package dev.berth.doctor;

import dev.berth.config.BerthConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The config file, and the registry mirrors it names: each asked for the registry API's root, /v2/. */
public final class ConfigChecks implements CheckGroup {

    private static final Pattern URL = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/]*)(.*)");

    private final LoadedConfig config;
    private final Duration timeout;

    /** @param timeout how long a mirror may take to answer */
    public ConfigChecks(LoadedConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    @Override
    public String topic() {
        return "config";
    }

    @Override
    public List<Check> run() {
        List<Check> checks = new ArrayList<>(List.of(config.check()));
        Map<String, BerthConfig.Registry> registries = config.config().registries();
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        registries.forEach((host, registry) -> registry.mirrors().forEach(mirror -> checks.add(mirror(http, host, mirror))));
        if (checks.size() == 1) {
            checks.add(Check.ok("mirrors", "none in the config: images come from their registries"));
        }
        return checks;
    }

    /** Any answer of a registry's API will do, 401 included: berth logs in as it pulls. */
    private Check mirror(HttpClient http, String host, String mirror) {
        String shown = withoutPassword(mirror);
        String fix = "correct registries." + host + ".mirrors in the config, or bring the mirror up; meanwhile pulls "
                + "go to the next mirror, then to " + host + " itself";
        URI api;
        try {
            URI base = new URI(mirror.endsWith("/") ? mirror : mirror + "/");
            api = new URI(base.getScheme(), null, base.getHost(), base.getPort(), base.getPath(), null, null)
                    .resolve("v2/");
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Check.warn("mirror", shown + " (a mirror of " + host + ") is not a URL", fix);
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(api).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status == 200 || status == 401) {
                return Check.ok("mirror", shown + " (a mirror of " + host + ") answers " + status + " at /v2/");
            }
            return Check.warn("mirror", shown + " (a mirror of " + host + ") answers " + status + " at /v2/, not as"
                    + " a registry does (200 or 401)", fix);
        } catch (IOException | IllegalArgumentException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Check.warn("mirror", shown + " (a mirror of " + host + ") cannot be reached: " + why, fix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.warn("mirror", shown + " (a mirror of " + host + "): interrupted", fix);
        }
    }

    /** A URL as shown to people: its user name, if any, stays; a password does not. */
    static String withoutPassword(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches() || !m.group(2).contains("@")) {
            return url;
        }
        String userInfo = m.group(2).substring(0, m.group(2).lastIndexOf('@'));
        String user = userInfo.contains(":") ? userInfo.substring(0, userInfo.indexOf(':')) : userInfo;
        return m.group(1) + user + "@" + m.group(2).substring(m.group(2).lastIndexOf('@') + 1) + m.group(3);
    }
}
