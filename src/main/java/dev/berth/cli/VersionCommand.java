package dev.berth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print berth's version.")
final class VersionCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        System.out.println("berth " + Main.version() + " (Java " + Runtime.version() + ")");
        return ExitCodes.OK;
    }
}
