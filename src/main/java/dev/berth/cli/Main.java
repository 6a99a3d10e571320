package dev.berth.cli;

import dev.berth.core.BerthException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: picocli wiring, and the one place where errors become messages and exit codes. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Declarative GitOps for a container node: plan, validate and apply committed manifests.")
public final class Main implements Runnable {

    /** The verbs, in the order help lists them. */
    static final List<Class<?>> VERBS = List.of(PlanCommand.class, ValidateCommand.class, ApplyCommand.class,
            WatchCommand.class, RollbackCommand.class, ResumeCommand.class, StatusCommand.class, HistoryCommand.class,
            DescribeCommand.class, LogsCommand.class, ImagesCommand.class, RunPodCommand.class, DoctorCommand.class,
            VersionCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        launchProcessesWithVfork();
        System.exit(run(args));
    }

    /**
     * Makes the JDK start processes (runc, conmon) with vfork and exec rather than through its jspawnhelper, which
     * costs a second exec per process: 2.3 ms of CPU (and wall time) less for each here, where an exec is dear. Takes
     * effect only before the JVM's first process; an explicit -Djdk.lang.Process.launchMechanism wins. JDK 25
     * deprecates VFORK (a warning on every run) and later JDKs drop it: there the JDK's own default stays.
     */
    public static void launchProcessesWithVfork() {
        if (System.getProperty("jdk.lang.Process.launchMechanism") == null && Runtime.version().feature() < 25) {
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
    }

    /** Runs berth in-process and returns its exit code (tests and benchmarks call this). */
    public static int run(String... args) {
        CommandLine cli = commandLine(args.length > 0 ? args[0] : "");
        cli.setExecutionExceptionHandler(Main::onError);
        cli.setParameterExceptionHandler(Main::onBadUsage);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * berth's command line, with only {@code verb}'s subcommand when that names one: picocli reads every registered
     * command's options by reflection before it parses, half of a cold {@code berth version}. Anything else (no
     * verb, --help, a typo) gets every verb as a listing, for the usage and its suggestions.
     */
    static CommandLine commandLine(String verb) {
        CommandLine cli = new CommandLine(new Main());
        List<Class<?>> named = VERBS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(verb)).toList();
        if (named.isEmpty()) {
            VERBS.forEach(command -> cli.addSubcommand(listing(command)));
        } else {
            cli.addSubcommand(named.get(0));
        }
        return cli;
    }

    /** A verb as the usage lists it (name and description), without its options: a third of a cold --help. */
    private static CommandLine listing(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create().name(annotation.name());
        spec.usageMessage().description(annotation.description()).header(annotation.header())
                .hidden(annotation.hidden());
        return new CommandLine(spec);
    }

    private static int onError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean verbose = false;
        for (CommandLine.ParseResult r = parsed; r != null; r = r.subcommand()) {
            verbose |= r.hasMatchedOption("--verbose");
        }
        if (e instanceof BerthException && !verbose) {
            err.println("error: " + e.getMessage());
        } else {
            err.println("error: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.ERROR;
    }

    /** picocli's own code for bad usage is 2, which means "changes" here. */
    private static int onBadUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.ERROR;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"berth " + version()};
        }
    }
}
