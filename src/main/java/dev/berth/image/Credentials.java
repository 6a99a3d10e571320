package dev.berth.image;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A registry user name and password; {@link #toString()} never shows the password. */
public record Credentials(String username, String password) {

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", password hidden]";
    }
}
