package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.ExtraMount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessageTest {

    @TempDir
    Path podDir;

    private static Container container(String path, String policy) {
        return new ContainerBuilder().withName("main").withTerminationMessagePath(path)
                .withTerminationMessagePolicy(policy).build();
    }

    @Test
    void eachRunGetsAnEmptyFileAnyUserWritesBoundAtTheDefaultPath() throws IOException {
        Path file = TerminationMessage.hostFile(podDir, "main");
        ExtraMount first = TerminationMessage.freshMount(podDir, container(null, null));
        assertEquals(ExtraMount.bind(file.toString(), "/dev/termination-log", false), first);
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.writeString(file, "run one");

        ExtraMount custom = TerminationMessage.freshMount(podDir, container("/dev/termination-custom-log", "File"));
        assertEquals("/dev/termination-custom-log", custom.destination());
        assertEquals("", Files.readString(file), "a new run starts without the message of the one before");
    }

    @Test
    void theFileIsTheMessageWhateverTheExitCodeAndPolicy() throws IOException {
        TerminationMessage.freshMount(podDir, container(null, null));
        Files.writeString(TerminationMessage.hostFile(podDir, "main"), "DONE");
        Path log = log("stdout F from the log");
        assertEquals("DONE", TerminationMessage.read(podDir, container(null, "File"), 0, log));
        assertEquals("DONE", TerminationMessage.read(podDir, container(null, "FallbackToLogsOnError"), 1, log));
    }

    @Test
    void theLogStandsInOnlyForAFailedContainerWithFallbackAndAnEmptyFile() throws IOException {
        TerminationMessage.freshMount(podDir, container(null, null));
        // echo -n DONE: a partial line, kept without a newline
        Path log = log("stdout F first", "stderr P DONE");
        Container fallback = container(null, "FallbackToLogsOnError");
        assertEquals("first\nDONE", TerminationMessage.read(podDir, fallback, 1, log));
        assertEquals("", TerminationMessage.read(podDir, fallback, 0, log), "it succeeded");
        assertEquals("", TerminationMessage.read(podDir, container(null, "File"), 1, log), "policy File");
    }

    @Test
    void theFileIsCutToItsLast4096Bytes() throws IOException {
        TerminationMessage.freshMount(podDir, container(null, null));
        Files.writeString(TerminationMessage.hostFile(podDir, "main"), "x".repeat(5000) + "END");
        String message = TerminationMessage.read(podDir, container(null, null), 0, null);
        assertEquals(4096, message.length());
        assertTrue(message.endsWith("xEND"), message);
    }

    @Test
    void theLogIsCutToItsLast80LinesAnd2048Bytes() throws IOException {
        Container fallback = container(null, "FallbackToLogsOnError");
        Path lines = log(IntStream.rangeClosed(1, 100).mapToObj(i -> "stdout F line " + i).toArray(String[]::new));
        String message = TerminationMessage.read(podDir, fallback, 2, lines);
        assertEquals(IntStream.rangeClosed(21, 100).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining()),
                message);

        Path long_ = log(IntStream.rangeClosed(1, 10).mapToObj(i -> "stdout F " + i + "y".repeat(400))
                .toArray(String[]::new));
        message = TerminationMessage.read(podDir, fallback, 2, long_);
        assertEquals(2048, message.length());
        assertTrue(message.endsWith("y\n"), message);
    }

    @Test
    void noFileAndNoLogIsNoMessage() {
        assertEquals("", TerminationMessage.read(podDir, container(null, "FallbackToLogsOnError"), 1,
                podDir.resolve("absent.log")));
    }

    private Path log(String... streamTagContent) throws IOException {
        Path log = Files.createTempFile(podDir, "main", ".log");
        Files.write(log, List.of(streamTagContent).stream().map(l -> "2026-12-03T10:00:00.000000000+00:00 " + l)
                .toList());
        return log;
    }
}
