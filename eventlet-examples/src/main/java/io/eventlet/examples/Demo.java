package io.eventlet.examples;

import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.spi.HubProvider;
import io.eventlet.sync.Event;
import io.eventlet.sync.Semaphore;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The first thing a newcomer runs: an echo server and an HTTP server, each driven by thousands of
 * green-thread clients on every available hub, with live progress and a closing table. Every
 * figure is measured in this run and every answer is checked.
 *
 * {@snippet lang = "shell" :
 * ./eventlet demo                                   # every hub, 2,000 connections, 2 s per load
 * ./eventlet demo --hub epoll --connections 5000 --duration 5s
 * }
 *
 * <p>For each hub kind and each load (echo, HTTP), one run: a server on a hub of its own, and a
 * client hub of the same kind whose green threads connect ({@link #MAX_CONNECTING} at a time),
 * make one checked round trip each, and wait at a gate. With every connection open the heap is
 * measured after a GC; then the gate opens and each client makes round trips back to back for the
 * duration, timing each one. So one hub thread serves and one drives: on a two-core machine each
 * has a core.
 *
 * <p>Threading: {@link #call()} runs on the launcher's thread, which starts and closes the hubs,
 * samples them and prints; the clients and servers run on their hubs.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Echo and HTTP servers driven by thousands of green-thread clients on every available hub.")
public final class Demo implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    /** Connects in flight at once: fewer than the listen backlogs, so no SYN is dropped and retried a second later. */
    static final int MAX_CONNECTING = 256;
    private static final int WARMUP_CONNECTIONS = 200;
    /** Each load runs this long on the first hub before anything is measured, so the JIT has compiled the shared paths. */
    private static final Duration WARMUP_DURATION = Duration.ofMillis(800);
    /** Each run's round trips in this first stretch are not measured. */
    static final Duration SETTLE = Duration.ofMillis(400);
    /** File descriptors kept free for the JVM's own use when the limit bounds the connections. */
    private static final int SPARE_FDS = 256;
    private static final long TICK_MILLIS = 100;
    static final List<DemoLoad> LOADS = List.of(new DemoLoad.Echo(), new DemoLoad.Http());

    /** How progress is shown. */
    enum ProgressStyle {
        /** {@code live} on a terminal, else {@code lines}. */
        auto,
        /** One line rewritten in place, ten times a second. */
        live,
        /** A line a second, for logs and pipes. */
        lines
    }

    @Option(names = "--connections", paramLabel = "N", defaultValue = "2000", converter = Arguments.AtLeastOne.class,
            description = "Client connections per load and hub (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long each load runs on each hub, e.g. 2s, 500ms (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--progress", paramLabel = "STYLE", defaultValue = "auto",
            description = "auto, live (one line updated in place) or lines (default: ${DEFAULT-VALUE}).")
    ProgressStyle progress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<HubProvider> hubs;
        try {
            hubs = hubsToRun();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Launcher.HUB_UNAVAILABLE;
        }
        // The HTTP server logs every request; hundreds of thousands of lines would bury the demo.
        if (System.getProperty(ACCESS_LOG_LEVEL) == null) {
            System.setProperty(ACCESS_LOG_LEVEL, "warn");
        }
        boolean live = progress == ProgressStyle.live
                || progress == ProgressStyle.auto && System.console() != null && System.console().isTerminal();
        return run(hubs, LOADS, spec.commandLine().getOut(), live) ? 0 : 1;
    }

    private static final String ACCESS_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.eventlet.http.access";

    /** The hub asked for (--hub, -Deventlet.hub, $EVENTLET_HUB), else every available hub, best first. */
    static List<HubProvider> hubsToRun() {
        if (Hub.requestedName().isPresent()) {
            return List.of(Hub.provider());
        }
        List<Hub.ProviderStatus> all = Hub.providers();   // best first
        List<HubProvider> hubs = new ArrayList<>();
        all.stream().filter(Hub.ProviderStatus::available).forEach(st -> hubs.add(st.provider()));
        for (Hub.ProviderStatus st : all) {
            if (!st.available()) {
                log.info("hub '{}' is unavailable here and is left out: {}", st.name(), st.unavailabilityCause().orElseThrow());
            }
        }
        return hubs;
    }

    /** Runs every load on every hub, printing as it goes; returns whether every round trip succeeded. */
    boolean run(List<HubProvider> hubs, List<DemoLoad> loads, PrintWriter out, boolean live) throws Exception {
        long start = System.nanoTime();
        int perRun = connectionsWithinFdLimit(out);
        out.printf(Locale.ROOT, "eventlet demo: %s servers, %,d green-thread clients each, on hub%s %s (JDK %s, %d CPUs)%n",
                String.join(" and ", loads.stream().map(DemoLoad::name).toList()), perRun, hubs.size() == 1 ? "" : "s",
                String.join(", ", hubs.stream().map(HubProvider::name).toList()), Runtime.version().feature(),
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "each: one hub serves, one hub drives the clients; %s of back-to-back round trips per client%n",
                seconds(duration.toNanos()));
        out.flush();

        long warmStart = System.nanoTime();
        out.printf(Locale.ROOT, "warming up the JIT (%s of each load on %s; every run then settles for %s before it is measured)... ",
                seconds(WARMUP_DURATION.toNanos()), hubs.get(0).name(), seconds(SETTLE.toNanos()));
        out.flush();
        List<Result> warmUps = new ArrayList<>();
        for (DemoLoad load : loads) {
            warmUps.add(measure(hubs.get(0), load, Math.min(WARMUP_CONNECTIONS, perRun), WARMUP_DURATION, Progress.SILENT));
        }
        out.printf(Locale.ROOT, "%s%n", seconds(System.nanoTime() - warmStart));
        for (Result r : warmUps) {
            if (r.errors > 0) {
                out.printf(Locale.ROOT, "warm-up of %s: %,d errors; the first: %s%n", r.load, r.errors, r.firstError);
            }
        }
        out.println();
        out.flush();

        List<Result> results = new ArrayList<>();
        try {
            for (HubProvider hub : hubs) {
                for (DemoLoad load : loads) {
                    results.add(measure(hub, load, perRun, duration, new Progress(out, live, hub.name(), load.name(), perRun, duration)));
                }
            }
        } catch (DemoStalled e) {
            out.printf(Locale.ROOT, "%ndemo stopped: %s%n", e.getMessage());
            out.flush();
            return false;
        }
        printTable(out, results);
        long checked = 0;
        long errors = 0;
        for (Result r : results) {
            checked += r.roundTrips;
            errors += r.errors;
        }
        out.printf(Locale.ROOT, "%,d round trips, every answer checked; %,d errors; total wall time %s%n",
                checked, errors, seconds(System.nanoTime() - start));
        out.flush();
        boolean ok = true;
        for (Result r : results) {
            if (r.errors > 0 || r.connected < r.connections) {
                ok = false;
                out.printf(Locale.ROOT, "%s %s: %,d of %,d clients connected, %,d errors; the first: %s%n",
                        r.hub, r.load, r.connected, r.connections, r.errors, r.firstError);
            }
        }
        out.flush();
        return ok;
    }

    /**
     * The connections per run that the file-descriptor limit allows (two per connection: the
     * client's and the server's), announced when it is fewer than asked for.
     */
    private int connectionsWithinFdLimit(PrintWriter out) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            int allowed = connectionsAllowed(connections, max, unix.getOpenFileDescriptorCount());
            if (allowed < connections) {
                out.printf(Locale.ROOT, "note: the open-file limit (%,d) allows %,d connections, not %,d; raise it with ulimit -n%n",
                        max, allowed, connections);
            }
            return allowed;
        }
        return connections;
    }

    /** {@code asked}, or fewer when {@code maxFds} (two per connection, some spare) is the bound; at least 1. */
    static int connectionsAllowed(int asked, long maxFds, long openFds) {
        long allowed = (maxFds - openFds - SPARE_FDS) / 2;
        return (int) Math.max(1, Math.min(asked, allowed));
    }

    // ---- one run ----------------------------------------------------------------------------

    /** What one run of one load on one hub measured. */
    record Result(String hub, String load, int connections, long connected, long roundTrips, double perSecond,
                  Histogram latencyMicros, int peakGreenThreads, long heapUsed, long heapIdle,
                  long errors, String firstError) {
        long heapPerConnection() {
            return connected == 0 ? 0 : Math.max(0, heapUsed - heapIdle) / connected;
        }
    }

    /** The state the controller and a run's client green threads share. */
    private static final class Clients {
        final LongAdder connected = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder roundTrips = new LongAdder();
        final Recorder latency = new Recorder(3);   // microseconds, written from the client hub
        final Event<Boolean> go = new Event<>();
        final AtomicReference<Throwable> firstError = new AtomicReference<>();
        volatile boolean stop;

        void fail(Throwable t) {
            failed.increment();
            if (firstError.compareAndSet(null, t)) {
                log.debug("demo client failed", t);
            }
        }

        long settled() {
            return connected.sum() + failed.sum();
        }
    }

    Result measure(HubProvider provider, DemoLoad load, int n, Duration runFor, Progress progress) throws Exception {
        long heapIdle = heapUsedAfterGc();
        Clients clients = new Clients();
        try (DemoLoad.Server server = load.start(provider); Hub clientHub = Hub.start(provider)) {
            InetSocketAddress address = server.address();
            GreenThread<Void> driver = clientHub.spawn(() -> drive(load, address, n, clients));

            long rampStart = System.nanoTime();
            long lastSettled = -1;
            long lastChange = rampStart;
            int peak = 0;
            while (clients.settled() < n && !driver.isDone()) {
                long settled = clients.settled();
                long now = System.nanoTime();
                if (settled != lastSettled) {
                    lastSettled = settled;
                    lastChange = now;
                } else if (now - lastChange > STALL.toNanos()) {
                    // Every connect and read is bounded by IO_TIMEOUT, so this means a bug, not a slow machine.
                    throw new DemoStalled(provider.name() + " " + load.name() + ": no client connected or failed for "
                            + seconds(now - lastChange) + "; " + settled + " of " + n + " settled");
                }
                progress.connecting(clients.connected.sum(), now - rampStart);
                peak = Math.max(peak, greenThreads(server.hub(), clientHub));
                Thread.sleep(TICK_MILLIS / 2);   // the pace of the progress display
            }
            progress.connected(clients.connected.sum(), System.nanoTime() - rampStart);
            peak = Math.max(peak, greenThreads(server.hub(), clientHub));
            long heapUsed = heapUsedAfterGc();   // every connection open, every client parked at the gate

            Histogram total = new Histogram(3);
            Histogram interval = null;
            clients.go.send(Boolean.TRUE);
            // Settle: the gate releases every client at once, and the first few hundred ms are that
            // burst (and, on the first run, the JIT finishing its work); measure what follows.
            long settleEnd = System.nanoTime() + SETTLE.toNanos();
            for (long now = System.nanoTime(); now < settleEnd; now = System.nanoTime()) {
                Thread.sleep(Math.max(1, Math.min(TICK_MILLIS, (settleEnd - now) / 1_000_000)));
                progress.settling(clients.roundTrips.sum());
                peak = Math.max(peak, greenThreads(server.hub(), clientHub));
            }
            clients.latency.reset();
            long t0 = System.nanoTime();
            long base = clients.roundTrips.sum();
            long end = t0 + runFor.toNanos();
            long lastCount = 0;
            long lastTime = t0;
            for (long now = t0; now < end; now = System.nanoTime()) {
                Thread.sleep(Math.max(1, Math.min(TICK_MILLIS, (end - now) / 1_000_000)));
                long time = System.nanoTime();
                long count = clients.roundTrips.sum() - base;
                interval = clients.latency.getIntervalHistogram(interval);
                total.add(interval);
                peak = Math.max(peak, greenThreads(server.hub(), clientHub));
                progress.running(time - t0, count, (count - lastCount) * 1e9 / Math.max(1, time - lastTime),
                        interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99));
                lastCount = count;
                lastTime = time;
            }
            long elapsed = System.nanoTime() - t0;
            long counted = clients.roundTrips.sum() - base;
            clients.stop = true;
            driver.join();   // every client has finished its last round trip and closed its connection
            total.add(clients.latency.getIntervalHistogram(interval));
            Throwable first = clients.firstError.get();
            Result r = new Result(provider.name(), load.name(), n, clients.connected.sum(), counted, counted * 1e9 / elapsed,
                    total, peak, heapUsed, heapIdle, clients.failed.sum(), first == null ? "none" : first.toString());
            progress.done(r);
            return r;
        }   // the client hub closes first (its green threads are done), then the server
    }

    /** How long the ramp may go without a single client connecting or failing. */
    private static final Duration STALL = DemoLoad.IO_TIMEOUT.multipliedBy(2);

    /** The ramp made no progress at all: reported, and the demo stops. */
    static final class DemoStalled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoStalled(String message) {
            super(message);
        }
    }

    /**
     * The client hub's main green thread: starts the {@code n} clients, at most
     * {@link #MAX_CONNECTING} connecting at once, and returns when every one has ended.
     */
    private static Void drive(DemoLoad load, InetSocketAddress address, int n, Clients clients) {
        Semaphore connecting = new Semaphore(MAX_CONNECTING);
        List<GreenThread<Void>> started = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            connecting.acquire();
            started.add(Hub.current().spawn(() -> client(load, address, clients, connecting)));
        }
        for (GreenThread<Void> g : started) {
            g.join();
        }
        return null;
    }

    /** One client: connect and make one checked round trip; wait for the gate; then round trips until told to stop. */
    private static Void client(DemoLoad load, InetSocketAddress address, Clients clients, Semaphore connecting) {
        DemoLoad.Session session;
        try {
            session = load.connect(address);
            try {
                session.roundTrip();
            } catch (Exception e) {
                session.close();
                throw e;
            }
        } catch (Exception e) {
            clients.fail(e);
            return null;
        } finally {
            connecting.release();
        }
        clients.connected.increment();
        try (session) {
            clients.go.await();
            while (!clients.stop) {
                long t = System.nanoTime();
                session.roundTrip();
                if (!clients.stop) {   // one finishing after the window is neither counted nor timed
                    clients.latency.recordValue(Math.max(1, (System.nanoTime() - t) / 1_000));
                    clients.roundTrips.increment();
                }
            }
        } catch (Exception e) {
            clients.fail(e);
        }
        return null;
    }

    private static int greenThreads(Hub a, Hub b) {
        return a.stats().greenThreads() + b.stats().greenThreads();
    }

    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();   // a hint, taken while no client is making round trips
        return memory.getHeapMemoryUsage().getUsed();
    }

    // ---- progress and the table -------------------------------------------------------------

    /** Shows one run's progress: one line rewritten in place on a terminal, else a line a second. */
    static class Progress {
        static final Progress SILENT = new Progress(null, false, "", "", 0, Duration.ZERO);
        private final PrintWriter out;
        private final boolean live;
        private final String prefix;
        private final int connections;
        private final long runNanos;
        private int lastLength;
        private long lastLineSecond = 0;

        Progress(PrintWriter out, boolean live, String hub, String load, int connections, Duration runFor) {
            this.out = out;
            this.live = live;
            this.prefix = String.format(Locale.ROOT, "  %-8s %-5s", hub, load);
            this.connections = connections;
            this.runNanos = runFor.toNanos();
        }

        void connecting(long connected, long nanos) {
            if (live) {
                show(String.format(Locale.ROOT, "%s connecting %,d/%,d (%s)", prefix, connected, connections, seconds(nanos)), false);
            }
        }

        void connected(long connected, long nanos) {
            show(String.format(Locale.ROOT, "%s %,d/%,d connected in %s", prefix, connected, connections, seconds(nanos)), !live);
        }

        void settling(long roundTrips) {
            if (live) {
                show(String.format(Locale.ROOT, "%s settling: %,d round trips (not measured)", prefix, roundTrips), false);
            }
        }

        void running(long nanos, long roundTrips, double perSecond, long p99Micros) {
            String line = String.format(Locale.ROOT, "%s %s: %,d round trips, %,d/s now, p99 %s",
                    prefix, seconds(nanos), roundTrips, Math.round(perSecond), millis(p99Micros));
            long second = nanos / 1_000_000_000L;
            if (live) {
                show(line, false);
            } else if (second > lastLineSecond && second * 1_000_000_000L < runNanos) {
                lastLineSecond = second;   // a line at each whole second before the end (the end has its own)
                show(line, true);
            }
        }

        void done(Result r) {
            show(String.format(Locale.ROOT, "%s %,d round trips/s over %,d connections, p50 %s, p99 %s",
                    prefix, Math.round(r.perSecond), r.connected, millis(r.latencyMicros.getValueAtPercentile(50)),
                    millis(r.latencyMicros.getValueAtPercentile(99))), true);
        }

        private void show(String line, boolean keep) {
            if (out == null) {
                return;
            }
            if (live) {
                out.print('\r');
                out.print(line);
                if (line.length() < lastLength) {
                    out.print(" ".repeat(lastLength - line.length()));
                }
                lastLength = keep ? 0 : line.length();
                if (keep) {
                    out.println();
                }
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    static void printTable(PrintWriter out, List<Result> results) {
        String format = "%-9s %-5s %11s %15s %12s %12s %14s %10s %10s%n";
        out.println();
        out.printf(Locale.ROOT, format, "hub", "load", "connections", "round trips/s", "p50 latency", "p99 latency",
                "green threads", "heap used", "per conn");
        for (Result r : results) {
            out.printf(Locale.ROOT, format, r.hub, r.load, String.format(Locale.ROOT, "%,d", r.connected),
                    String.format(Locale.ROOT, "%,d", Math.round(r.perSecond)),
                    millis(r.latencyMicros.getValueAtPercentile(50)), millis(r.latencyMicros.getValueAtPercentile(99)),
                    String.format(Locale.ROOT, "%,d", r.peakGreenThreads), megabytes(r.heapUsed),
                    String.format(Locale.ROOT, "%.1f KB", r.heapPerConnection() / 1024.0));
        }
        out.println();
        out.println("latency: a round trip at the client, from its write to the whole answer; green threads: alive at the");
        out.println("peak on the run's two hubs (a server handler and a client per connection); heap used: after a GC with");
        out.println("every connection open, and per conn: above the heap before the servers started.");
    }

    // ---- formatting and parsing -------------------------------------------------------------

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.2f ms", micros / 1e3);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** Parses {@code 500ms}, {@code 2s}, {@code 1.5s} or {@code 1m} into a positive duration of at most a day. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");
        /** The longest duration accepted. */
        static final Duration MAX = Duration.ofDays(1);

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.strip());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 500ms, 2s or 1m");
            }
            double amount = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                default -> amount * 60_000;
            };
            if (millis < 1) {
                throw new CommandLine.TypeConversionException("'" + value + "' is shorter than a millisecond");
            }
            // Far above any useful run, and far below where the demo's nanosecond arithmetic overflows.
            if (millis > MAX.toMillis()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is longer than a day");
            }
            return Duration.ofMillis(Math.round(millis));
        }
    }
}
