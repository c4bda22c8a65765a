package io.eventlet.bench.echo;

import io.eventlet.Hub;
import io.eventlet.spi.HubProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The echo load benchmark (issue 3): each server in its own JVM pinned to one CPU, this harness
 * pinned to another, ranked by the server's CPU time per round trip (docs/design.md, founding decision 7) with
 * throughput and client-side latency beside it, plus the heap an idle connection costs.
 *
 * {@snippet lang=sh :
 * eventlet-bench/echo.sh --servers green:epoll,green:selector,jdk --connections 1,50,1000 --sizes 64,4096
 * }
 *
 * <p>For each server × hubs × connections × size and each repeat, it starts a fresh
 * {@link EchoServer} JVM under {@code taskset -c <server-cpu>}, opens the connections, drives
 * strict ping-pong with {@link PingPongLoad} through a warm-up and then a measured interval, and
 * reads the server's utime+stime from {@code /proc/PID/stat} around the measured interval. The
 * servers take turns within each repeat, so a drift of the machine touches them alike. Medians go
 * to standard output and to {@code bench-results/echo.md}; every run to {@code echo.json} beside it.
 *
 * <p>Threading: runs on its main thread only; the load generator is that same thread.
 */
@Command(name = "echo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Echo load benchmark: server CPU time per round trip, throughput, latency, heap per idle connection.")
public final class EchoLoad implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--servers", split = ",", paramLabel = "SERVER",
            description = "green:HUB, jdk, netty-epoll, netty-nio (default: every available green hub, and jdk)")
    List<String> servers;

    @Option(names = "--with-netty", description = "add netty-epoll and netty-nio to the default servers")
    boolean withNetty;

    @Option(names = "--hubs", split = ",", defaultValue = "1",
            description = "hubs (green), carrier threads (jdk) or event loops (netty) of the server (default: ${DEFAULT-VALUE})")
    List<Integer> hubs;

    @Option(names = "--connections", split = ",", defaultValue = "1,50,1000", description = "default: ${DEFAULT-VALUE}")
    List<Integer> connections;

    @Option(names = "--sizes", split = ",", defaultValue = "64,4096", description = "payload bytes per round trip (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "measured interval per run, e.g. 10s, 500ms, 1m (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "3s", converter = DurationConverter.class,
            description = "load before the measured interval, for the JIT (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--repeats", defaultValue = "3", description = "runs per cell; medians are reported (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--server-cpu", defaultValue = "0", description = "taskset -c list for the server JVMs (default: ${DEFAULT-VALUE})")
    String serverCpu;

    @Option(names = "--client-cpu", defaultValue = "1",
            description = "the CPU this harness should be pinned to; echo.sh pins it, the harness checks (default: ${DEFAULT-VALUE})")
    String clientCpu;

    @Option(names = "--idle-connections", defaultValue = "10000",
            description = "idle connections for the heap test; 0 skips it (default: ${DEFAULT-VALUE})")
    int idleConnections;

    @Option(names = "--output", defaultValue = "bench-results/echo.md", description = "Markdown report (default: ${DEFAULT-VALUE})")
    Path output;

    /** Runs the benchmark; exits 2 on a usage error, 1 when a run fails. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new EchoLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<ServerSpec> chosen = chooseServers();
        validate();
        checkTaskset(serverCpu, "--server-cpu");
        String pinned = ownCpus();
        if (!pinned.equals(clientCpu.strip())) {
            System.err.println("warning: this harness may run on CPUs " + pinned + ", not only --client-cpu " + clientCpu
                    + ": start it with eventlet-bench/echo.sh, which pins it, or the load generator competes with the server");
        }
        ProcessCpu cpu = ProcessCpu.fromSystem();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classPath = System.getProperty("java.class.path");
        EchoReport report = new EchoReport(header(chosen, cpu));

        int cells = hubs.size() * connections.size() * sizes.size() * repeats * chosen.size();
        int done = 0;
        for (int h : hubs) {
            for (int conns : connections) {
                for (int size : sizes) {
                    for (int rep = 1; rep <= repeats; rep++) {
                        for (ServerSpec s : chosen) {
                            done++;
                            EchoReport.Run run = measure(s, h, conns, size, cpu, java, classPath);
                            report.add(new EchoReport.Case(s, h, conns, size), run);
                            System.err.printf(Locale.ROOT, "[%d/%d] %s hubs %d, %d connections × %d B, run %d/%d: %,.0f rt/s, %.2f µs server CPU/rt, p50 %.0f µs, p99 %.0f µs%n",
                                    done, cells, s.label(), h, conns, size, rep, repeats, run.roundTripsPerSecond(),
                                    run.cpuMicrosPerRoundTrip(), run.p50Micros(), run.p99Micros());
                        }
                    }
                }
            }
        }
        if (idleConnections > 0) {
            for (int h : hubs) {
                for (ServerSpec s : chosen) {
                    EchoReport.Heap heap = measureHeap(s, h, java, classPath);
                    report.add(heap);
                    System.err.printf(Locale.ROOT, "heap: %s hubs %d: %,.0f bytes per idle connection%n", s.label(), h, heap.bytesPerConnection());
                }
            }
        }
        String md = report.markdown();
        System.out.print(md);
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(output, md, StandardCharsets.UTF_8);
        String jsonName = output.getFileName().toString().replaceFirst("\\.md$", "") + ".json";
        Files.writeString(parent.resolve(jsonName), report.json(), StandardCharsets.UTF_8);
        System.err.println("wrote " + output + " and " + parent.resolve(jsonName));
        return 0;
    }

    private EchoReport.Run measure(ServerSpec s, int h, int conns, int size, ProcessCpu cpu, Path java, String classPath) throws IOException {
        try (ServerProcess server = ServerProcess.start(s, h, serverCpu, java, classPath);
             PingPongLoad load = PingPongLoad.open(serverAddress(server), conns, size)) {
            load.run(warmup, null);
            Histogram latency = new Histogram(3);
            long ticks0 = cpu.ticks(server.pid());
            long t0 = System.nanoTime();
            long roundTrips = load.run(duration, latency);
            long t1 = System.nanoTime();
            long ticks1 = cpu.ticks(server.pid());
            if (roundTrips == 0) {
                throw new IOException("no round trip to echo server " + server.name() + " on port " + server.port()
                        + " completed in " + duration.toMillis() + " ms");
            }
            if (!load.drain(Duration.ofSeconds(5))) {
                System.err.println("warning: round trips to " + server.name() + " still in flight after 5 s; closing anyway");
            }
            long ticks = ticks1 - ticks0;
            return new EchoReport.Run(roundTrips, (t1 - t0) / 1e9, ticks, cpu.micros(ticks),
                    latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3);
        }
    }

    private EchoReport.Heap measureHeap(ServerSpec s, int h, Path java, String classPath) throws IOException {
        try (ServerProcess server = ServerProcess.start(s, h, serverCpu, java, classPath)) {
            long before = server.heapBytes();
            try (IdleConnections idle = IdleConnections.open(serverAddress(server), idleConnections)) {
                long after = server.heapBytes();
                return new EchoReport.Heap(s, h, idle.size(), before, after);
            }
        }
    }

    private static InetSocketAddress serverAddress(ServerProcess server) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    }

    private List<ServerSpec> chooseServers() {
        List<ServerSpec> chosen = new ArrayList<>();
        List<HubProvider> available = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (Hub.ProviderStatus p : Hub.providers()) {
            if (p.available()) {
                available.add(p.provider());
            } else {
                unavailable.add("green:" + p.name() + ": " + p.unavailabilityCause().orElseThrow());
            }
        }
        if (servers == null || servers.isEmpty()) {
            available.stream().sorted(Comparator.comparingInt(HubProvider::priority).reversed())
                    .forEach(p -> chosen.add(new ServerSpec(ServerKind.GREEN, p.name())));
            for (String u : unavailable) {
                System.err.println("skipping unavailable hub " + u);
            }
            chosen.add(new ServerSpec(ServerKind.JDK, null));
            if (withNetty) {
                chosen.add(new ServerSpec(ServerKind.NETTY_EPOLL, null));
                chosen.add(new ServerSpec(ServerKind.NETTY_NIO, null));
            }
            return chosen;
        }
        for (String name : servers) {
            ServerSpec s;
            try {
                s = ServerSpec.parse(name);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--servers: " + e.getMessage());
            }
            if (s.kind() == ServerKind.GREEN && available.stream().noneMatch(p -> p.name().equals(s.hub()))) {
                throw new ParameterException(spec.commandLine(), "--servers: hub '" + s.hub() + "' is not available here; "
                        + "available: " + available.stream().map(p -> "green:" + p.name()).toList()
                        + (unavailable.isEmpty() ? "" : "; unavailable: " + unavailable));
            }
            if (chosen.contains(s)) {
                throw new ParameterException(spec.commandLine(), "--servers: '" + name + "' is listed twice");
            }
            chosen.add(s);
        }
        return chosen;
    }

    private void validate() {
        positive(hubs, "--hubs");
        positive(connections, "--connections");
        positive(sizes, "--sizes");
        if (duration.isZero() || duration.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive, got " + duration);
        }
        if (warmup.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--warmup must not be negative, got " + warmup);
        }
        if (repeats < 1) {
            throw new ParameterException(spec.commandLine(), "--repeats must be at least 1, got " + repeats);
        }
        if (idleConnections < 0) {
            throw new ParameterException(spec.commandLine(), "--idle-connections must be 0 (skip) or more, got " + idleConnections);
        }
    }

    private void positive(List<Integer> values, String option) {
        for (int v : values) {
            if (v < 1) {
                throw new ParameterException(spec.commandLine(), option + " values must be at least 1, got " + v);
            }
        }
    }

    /** Runs {@code taskset -c CPUS true}, so a bad CPU list fails now, as a usage error, not at the first server. */
    private void checkTaskset(String cpus, String option) {
        try {
            Process p = new ProcessBuilder("taskset", "-c", cpus, "true").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new ParameterException(spec.commandLine(), option + " " + cpus + ": 'taskset -c " + cpus + " true' failed: " + out);
            }
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + " needs taskset (util-linux), which cannot be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParameterException(spec.commandLine(), "interrupted while checking " + option);
        }
    }

    /** The CPUs this process may run on, from /proc/self/status. */
    private static String ownCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring("Cpus_allowed_list:".length()).strip();
                }
            }
        } catch (IOException e) {
            // not Linux, or /proc is hidden: nothing to check against
        }
        return "?";
    }

    private List<String> header(List<ServerSpec> chosen, ProcessCpu cpu) {
        List<String> h = new ArrayList<>();
        h.add("# Echo load benchmark");
        h.add("");
        h.add("- date: " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        h.add("- machine: " + MachineInfo.cpuCount() + " CPUs, " + MachineInfo.cpuModel() + "; load average at start " + MachineInfo.loadAverage());
        h.add("- JDK: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " + Runtime.version());
        h.add("- servers: " + String.join(", ", chosen.stream().map(ServerSpec::label).toList())
                + "; each run a fresh server JVM (-Xmx1g) pinned with taskset -c " + serverCpu
                + "; load generator: this harness, one thread with a java.nio Selector, on CPU " + ownCpus());
        h.add("- each run: " + human(warmup) + " warm-up, " + human(duration) + " measured; medians of " + repeats
                + (repeats == 1 ? " run" : " runs") + "; strict ping-pong, TCP_NODELAY, every echoed byte checked");
        h.add("- server µs CPU/rt: the server process's utime+stime (/proc/PID/stat, " + cpu.ticksPerSecond()
                + " ticks/s) over the measured interval ÷ round trips. CPU/rt vs jdk: jdk's CPU/rt ÷ this row's (above 1: cheaper than plain JDK virtual threads)");
        return h;
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Accepts 10s, 500ms, 2m, a plain number of seconds, or ISO-8601 (PT10S). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
                }
                if (v.endsWith("m")) {
                    return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
                }
                return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use e.g. 10s, 500ms or 2m");
            }
        }
    }
}
