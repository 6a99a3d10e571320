package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GlobalOptionsTest {

    /** conmon and the runtime run elsewhere: a relative --root or --run-root would name files they cannot find. */
    @Test
    void relativeRootsBecomeAbsolute() {
        GlobalOptions global = new GlobalOptions();
        global.root = Path.of("state/../node");
        assertEquals(Path.of("").toAbsolutePath().resolve("node"), global.root());

        NodeServices.RunRoot run = new NodeServices.RunRoot();
        run.dir = Path.of("run");
        assertEquals(Path.of("").toAbsolutePath().resolve("run"), run.dir());
    }
}
