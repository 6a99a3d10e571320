package dev.berth.store;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/** Small state files as JSON: records in, records out, written atomically; times as ISO-8601 text. */
public final class JsonFiles {

    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer berth may add fields
            .build();

    private JsonFiles() {}

    public static void write(Path file, Object value) {
        AtomicFiles.write(file, JSON.writeValueAsBytes(value));
    }

    /** The value in {@code file}, or empty when there is no such file. */
    public static <T> Optional<T> read(Path file, Class<T> type) {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JacksonException e) {
            throw new BerthException(file + ": corrupt state file (" + e.getMessage() + ")", e);
        }
    }
}
