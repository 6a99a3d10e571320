package dev.berth.cli;

import dev.berth.config.BerthConfig;
import dev.berth.node.NodeReconciler;
import dev.berth.node.PodRuntime;
import dev.berth.pipeline.GitCacheDir;
import dev.berth.pipeline.PlanRequest;
import dev.berth.core.InvalidInputException;
import dev.berth.core.SourceLocation;
import dev.berth.server.ApiRoutes;
import dev.berth.server.ApiServer;
import dev.berth.server.HttpLimits;
import dev.berth.server.BoundedBody;
import dev.berth.server.CronTriggers;
import dev.berth.server.Metrics;
import dev.berth.server.Notifier;
import dev.berth.server.Secret;
import dev.berth.server.SystemdNotify;
import dev.berth.server.WatchedRef;
import dev.berth.server.WebhookReceiver;
import dev.berth.server.ReconcileLoop;
import dev.berth.server.Schedules;
import dev.berth.server.WatchDaemon;
import dev.berth.server.WatchStatus;
import dev.berth.sync.Applier;
import dev.berth.sync.ApplyLock;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Keep this node converged to the repository: poll it (with jitter), apply new commits, heal drift "
                + "on a timer, collect unused images; one reconcile at a time. SIGTERM finishes the current step and "
                + "leaves the pods running; the next start adopts them."},
        footer = {"", "Examples:",
                "  berth watch --repo https://git.example.com/ops/node.git --path manifests --interval 1m",
                "  berth watch --config /etc/berth/config.yaml"})
final class WatchCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(WatchCommand.class);
    /** A failed reconcile is tried again after this, doubling up to the poll interval. */
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);

    @Mixin
    GlobalOptions global;

    @Mixin
    SourceOptions source;

    @Mixin
    NodeServices.RunRoot runRoot;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often to poll the repository (default: the config's source.interval, else 1m).")
    Duration interval;

    @Option(names = "--resync", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often to heal drift without a new commit (default: the config's server.resync, else 5m).")
    Duration resync;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Where the API, webhooks, /metrics and the web page listen (default: the config's "
                    + "server.listen, else 127.0.0.1:7420); HTTPS with the config's server.tls.")
    String listen;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the API's bearer token (default: the config's server.tokenFile; none: API off).")
    Path tokenFile;

    @Option(names = "--webhook-secret-file", paramLabel = "FILE",
            description = "File holding the webhooks' shared secret (default: the config's server.webhookSecretFile; "
                    + "none: webhooks off).")
    Path webhookSecretFile;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Give up one reconcile after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        global.configureDaemonLogging();
        BerthConfig.Server server = global.config().server();
        Duration pollInterval = or(interval, global.config().source().interval(), Duration.ofMinutes(1));
        try (ApplyLock lock = ApplyLock.acquire(global.root());
             GitCacheDir cache = GitCacheDir.forRoot(global.root())) {
            NodeServices node = new NodeServices(global, runRoot);
            ImageServices images = new ImageServices(global);
            PodRuntime pods = node.pods(images, node.containers());
            PlanRequest request = source.request(global, "state:" + global.root(), cache.path());
            Metrics metrics = new Metrics(node.layout, node.observer());
            WatchStatus status = new WatchStatus(metrics, node.layout);
            if (server.notifyUrl() != null) {
                status.notifyTo(new Notifier(java.net.URI.create(server.notifyUrl())));
            }
            try (NodeReconciler reconciler = node.reconciler(global, pods);
                 Schedules timers = new Schedules();
                 ReconcileLoop loop = new ReconcileLoop(new WatchDaemon(node.layout,
                         new Applier(node.layout, reconciler, line -> LOG.info("{}", line)), request, timeout, status,
                         new CronTriggers(timers, reconciler.wakeup()::signal)), FIRST_RETRY, pollInterval);
                 ApiServer api = new ApiServer(new ApiServer.Options(
                         address(or(listen, server.listen(), BerthConfig.Server.DEFAULT_LISTEN)),
                         secret(or(tokenFile, server.tokenFile(), null)), server.publicMetrics(),
                         () -> status.lastReconcile() != null, server.tls(),
                         HttpLimits.DEFAULTS.with(server.limits())))) {
                // container exits, pod work done, probe verdicts and CronJob schedules each ask for a pass
                reconciler.wakeup().onSignal(why -> loop.trigger(ReconcileLoop.Kind.RESYNC, why));
                new ApiRoutes(node.layout, node.observer(), status, loop).register(api, metrics);
                metrics.httpRefusals(api::refusals);
                Secret hookSecret = secret(or(webhookSecretFile, server.webhookSecretFile(), null));
                if (hookSecret != null) {
                    api.webhooks(new WebhookReceiver(hookSecret, WatchedRef.of(request.ref()),
                            reason -> loop.trigger(ReconcileLoop.Kind.SYNC, reason)), BoundedBody.DEFAULT_LIMIT);
                }
                api.start();
                LOG.info("listening on {} ({})", api.address(), server.tls() == null ? "HTTP" : "HTTPS");
                loop.trigger(ReconcileLoop.Kind.SYNC, "start");
                SystemdNotify systemd = SystemdNotify.fromEnvironment(System.getenv());
                loop.exclusive("notify", () -> systemd.send("READY=1\nSTATUS=first reconcile done"));
                SystemdNotify.watchdogInterval(System.getenv())
                        .ifPresent(every -> timers.every("watchdog", every, () -> systemd.send("WATCHDOG=1")));
                timers.every("poll", pollInterval, () -> loop.trigger(ReconcileLoop.Kind.POLL, "poll"));
                timers.every("resync", or(resync, server.resync(), Duration.ofMinutes(5)),
                        () -> loop.trigger(ReconcileLoop.Kind.RESYNC, "resync"));
                timers.every("gc", or(null, server.gc(), Duration.ofHours(1)),
                        () -> loop.exclusive("image gc", () -> ImageGc.run(images)));
                awaitTermination();
                LOG.info("stopping: the current step finishes; pods keep running");
                systemd.send("STOPPING=1");
            }
        }
        return ExitCodes.OK;
    }

    /** Blocks until SIGTERM or SIGINT; the try-with-resources above then closes the loop and the timers. */
    private static void awaitTermination() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : java.util.List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
        }
        stop.await();
    }

    private static <T> T or(T option, T configured, T fallback) {
        return option != null ? option : configured != null ? configured : fallback;
    }

    private static Secret secret(Path file) {
        return file == null ? null : Secret.fromFile(file);
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidInputException(SourceLocation.of("--listen"), "expected HOST:PORT, got " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
