package io.eventlet.bench.reliability;

import io.eventlet.Hub;
import io.eventlet.bench.reliability.ReliabilityOptions.Scale;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./eventlet bench reliability}: hostile clients against eventlet-http on each hub (see
 * {@link Attack}), each attack against a fresh server child, bounded in count and time, over
 * loopback; a legitimate client probes throughout. Writes {@link ReliabilityReport}'s table.
 *
 * <p>The clients are JDK sockets on virtual threads (two per connection: one writes the attack,
 * one reads and drops whatever comes back and notes when the server closes).
 */
public final class ReliabilityLoad {
    private static final byte[] LEGIT_REQUEST = "GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Duration LEGIT_PERIOD = Duration.ofMillis(150);
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);

    private final ReliabilityOptions options;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final String classPath = System.getProperty("java.class.path");

    private ReliabilityLoad(ReliabilityOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        ReliabilityOptions options;
        try {
            options = ReliabilityOptions.parse(args);
        } catch (ReliabilityOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("reliability: " + e.getMessage());
            }
            System.err.println(ReliabilityOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        new ReliabilityLoad(options).run();
        System.exit(0);
    }

    private void run() throws IOException {
        List<String> hubs = options.hubs();
        if (hubs.isEmpty()) {
            // --quick proves the harness in about a minute: the preferred hub alone, unless --hubs names more.
            hubs = options.scale() == Scale.QUICK ? availableHubs().subList(0, 1) : availableHubs();
        }
        System.err.println("reliability: " + options + " on " + hubs);
        List<AttackResult> results = new ArrayList<>();
        String limits = "";
        long start = System.nanoTime();
        for (String hub : hubs) {
            for (Attack attack : options.attacks()) {
                System.err.printf("reliability: %s on %s ...%n", attack.label(), hub);
                AttackResult r;
                try {
                    ServerRun run = runAttack(hub, attack);
                    r = run.result;
                    limits = run.limits.replaceFirst("^.*missing=", "");
                } catch (IOException | RuntimeException e) {
                    r = new AttackResult(hub, attack, 0, 0, 0, 0, Double.NaN, 0, 0, Double.NaN, Double.NaN, -1, -1, -1, -1, -1, -1, -1,
                            "harness failed: " + e.getMessage().lines().findFirst().orElse(""));
                }
                System.err.println("reliability:   " + ReliabilityReport.row(r));
                results.add(r);
            }
        }
        String report = ReliabilityReport.format(results, options.scale(), limits, Duration.ofNanos(System.nanoTime() - start));
        Files.createDirectories(options.output().toAbsolutePath().getParent());
        Files.writeString(options.output(), report);
        System.out.print(report);
    }

    private static List<String> availableHubs() {
        List<String> available = new ArrayList<>();
        for (Hub.ProviderStatus p : Hub.providers()) {   // best first
            if (p.available()) {
                available.add(p.name());
            } else {
                System.err.println("reliability: skipping unavailable hub " + p.name() + ": " + p.unavailabilityCause().orElseThrow());
            }
        }
        return available;
    }

    private record ServerRun(AttackResult result, String limits) {
    }

    private ServerRun runAttack(String hub, Attack attack) throws IOException {
        Scale scale = options.scale();
        int requested = switch (attack) {
            case SLOWLORIS, SLOW_BODY -> scale.slowConnections();
            case IDLE_KEEPALIVE -> scale.idleConnections();
            case PIPELINER -> scale.pipeliners();
            case WEBSOCKET_16MIB -> scale.webSockets();
            case FD_EXHAUSTION -> scale.fdClients();
        };
        // Slow attacks fill maxConnections exactly (the legit client then depends on the server
        // cutting them); the others leave it out of the way.
        int maxConnections = attack == Attack.SLOWLORIS || attack == Attack.SLOW_BODY ? requested : 100_000;
        // One descriptor per connection plus the JVM's own; reliability.sh's 20,000 is the ceiling
        // (ulimit -n sets the hard limit too, so a child can only go lower).
        int fdLimit = attack == Attack.FD_EXHAUSTION ? scale.fdLimit() : Math.max(4_096, requested + 1_000);
        Duration hold = switch (attack) {
            case SLOWLORIS -> scale.headTimeout().plus(scale.hold());
            case SLOW_BODY -> scale.bodyTimeout().plus(scale.hold());
            default -> scale.hold();
        };
        List<String> serverArgs = List.of("--max-connections", Integer.toString(maxConnections),
                "--head-timeout", scale.headTimeout().toMillis() + "ms", "--body-timeout", scale.bodyTimeout().toMillis() + "ms",
                "--min-body-rate", Long.toString(scale.minBodyRate()),
                "--idle-timeout", Math.max(60, hold.toSeconds() * 4) + "s");
        try (ServerChild server = ServerChild.start(hub, options.serverCpu(), fdLimit, java, classPath, serverArgs);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port);
            Duration target = scale.legitTarget();
            if (!legitRequest(address, Duration.ofSeconds(10)).ok) {
                throw new IOException("the server does not answer a plain GET before the attack");
            }
            double heapBefore = mib(server.heapBytes());
            int fdsBefore = server.openFds();

            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
            Future<?> prober = threads.submit(() -> {
                while (!stop.get()) {
                    probes.add(legitRequest(address, target));
                    if (!stop.get()) {
                        sleep(LEGIT_PERIOD);
                    }
                }
                return null;
            });

            List<HostileConnection> connections = Collections.synchronizedList(new ArrayList<>());
            AtomicLong pipelined = new AtomicLong();
            long attackStart = System.nanoTime();
            long rampDeadline = attackStart + scale.rampLimit().toNanos();
            AtomicInteger next = new AtomicInteger();
            int openers = attack == Attack.FD_EXHAUSTION ? 256 : 64;
            List<Future<?>> opening = new ArrayList<>();
            for (int o = 0; o < openers; o++) {
                opening.add(threads.submit(() -> {
                    while (next.getAndIncrement() < requested && System.nanoTime() < rampDeadline && !stop.get()) {
                        HostileConnection c = HostileConnection.open(address, attack == Attack.FD_EXHAUSTION ? 1_000 : 3_000);
                        if (c != null) {
                            connections.add(c);
                            if (attack != Attack.PIPELINER) {   // it never reads: its cut shows as a failed write
                                threads.submit(c::drainUntilClosed);
                            }
                            threads.submit(() -> attackOn(c, attack, scale, stop, pipelined));
                        }
                    }
                    return null;
                }));
            }
            int peakHeld = 0;
            int fdsPeak = fdsBefore;
            long holdEnd = -1;
            // Hold: from when every connection is open (or the ramp limit passed), for `hold`.
            while (holdEnd < 0 || System.nanoTime() < holdEnd) {
                if (holdEnd < 0 && (opening.stream().allMatch(Future::isDone) || System.nanoTime() > rampDeadline)) {
                    holdEnd = System.nanoTime() + hold.toNanos();
                }
                peakHeld = Math.max(peakHeld, held(connections));
                fdsPeak = Math.max(fdsPeak, server.openFds());
                sleep(Duration.ofMillis(200));
            }
            peakHeld = Math.max(peakHeld, held(connections));
            double heapPeak = server.alive() ? mib(server.heapBytes()) : -1;
            List<Double> cutAfter = new ArrayList<>();
            int cut = 0;
            synchronized (connections) {
                for (HostileConnection c : connections) {
                    if (c.cutNanos > 0) {
                        cut++;
                        cutAfter.add((c.cutNanos - c.openedNanos) / 1e9);
                    }
                }
            }
            // The attack ends: the prober's request in flight still counts (it ends within the
            // target), then every attacking socket is closed.
            stop.set(true);
            try {
                prober.get(target.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                System.err.println("reliability: the legit prober did not stop cleanly: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            List<Probe> during = new ArrayList<>(probes);
            synchronized (connections) {
                connections.forEach(HostileConnection::close);
            }
            long stopped = System.nanoTime();
            long recovery = -1;
            Probe lastFailure = null;
            while (System.nanoTime() - stopped < RECOVERY_LIMIT.toNanos()) {
                Probe p = legitRequest(address, target);
                lastFailure = p;
                if (p.ok) {
                    recovery = (System.nanoTime() - stopped) / 1_000_000;
                    break;
                }
                sleep(Duration.ofMillis(50));
            }
            sleep(Duration.ofMillis(500));   // let the server notice the closes
            double heapAfter = server.alive() ? mib(server.heapBytes()) : -1;
            int fdsAfter = server.openFds();
            threads.shutdownNow();

            List<Double> latencies = during.stream().map(p -> p.millis).sorted().toList();
            int failures = (int) during.stream().filter(p -> !p.ok).count();
            Collections.sort(cutAfter);
            String note = switch (attack) {
                case PIPELINER -> pipelined.get() + " requests written, none read";
                case FD_EXHAUSTION -> "server ulimit -n " + fdLimit;
                default -> "";
            };
            if (recovery < 0 && lastFailure != null) {
                note = (note.isEmpty() ? "" : note + "; ") + "after the attack legit still failed: " + lastFailure.failure;
            }
            String firstFailure = during.stream().filter(p -> !p.ok).map(Probe::failure).findFirst().orElse(null);
            if (firstFailure != null) {
                note = (note.isEmpty() ? "" : note + "; ") + "first legit failure: " + firstFailure;
            }
            if (!server.alive()) {
                note = (note.isEmpty() ? "" : note + "; ") + "server died";
            }
            AttackResult r = new AttackResult(hub, attack, requested, connections.size(), peakHeld, cut,
                    cutAfter.isEmpty() ? Double.NaN : cutAfter.get(cutAfter.size() / 2),
                    during.size(), failures,
                    latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() / 2),
                    latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1),
                    heapBefore, heapPeak, heapAfter, fdsBefore, fdsPeak, fdsAfter, recovery, note);
            return new ServerRun(r, server.limits);
        }
    }

    private static int held(List<HostileConnection> connections) {
        synchronized (connections) {
            int n = 0;
            for (HostileConnection c : connections) {
                if (c.cutNanos < 0) {
                    n++;
                }
            }
            return n;
        }
    }

    /** One attacking connection's writing side. */
    private static Void attackOn(HostileConnection c, Attack attack, Scale scale, AtomicBoolean stop, AtomicLong pipelined) {
        try {
            OutputStream out = c.socket.getOutputStream();
            switch (attack) {
                case SLOWLORIS -> {
                    byte[] head = "GET /slow HTTP/1.1\r\nHost: bench\r\nUser-Agent: slowloris\r\nX-Padding: aaaaaaaaaaaaaaaa\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < head.length && !stop.get(); i++) {
                        out.write(head[i]);
                        out.flush();
                        sleep(scale.slowByteInterval());
                    }
                }
                case SLOW_BODY -> {
                    out.write("POST /upload HTTP/1.1\r\nHost: bench\r\nContent-Length: 1000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    while (!stop.get()) {
                        out.write('x');
                        out.flush();
                        sleep(Duration.ofSeconds(1));
                    }
                }
                case IDLE_KEEPALIVE, FD_EXHAUSTION -> {
                    out.write("GET / HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case PIPELINER -> {
                    byte[] batch = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n".repeat(64).getBytes(StandardCharsets.US_ASCII);
                    while (!stop.get()) {
                        out.write(batch);   // blocks once the server stops reading: that is the point
                        pipelined.addAndGet(64);
                    }
                }
                case WEBSOCKET_16MIB -> {
                    byte[] key = new byte[16];
                    ThreadLocalRandom.current().nextBytes(key);
                    out.write(("GET /ws HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                            + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    sleep(Duration.ofMillis(200));   // the 101 comes back on the reader; the frame may follow at once anyway
                    long claimed = 16L * 1024 * 1024;
                    byte[] header = new byte[2 + 8 + 4];
                    header[0] = (byte) 0x82;          // FIN, binary
                    header[1] = (byte) (0x80 | 127);  // masked, 64-bit length
                    for (int i = 0; i < 8; i++) {
                        header[2 + i] = (byte) (claimed >>> (56 - 8 * i));
                    }
                    out.write(header);                // mask key: zeros
                    out.write(new byte[1024]);        // a first KiB of the 16 MiB, then a trickle
                    out.flush();
                    while (!stop.get()) {
                        sleep(Duration.ofSeconds(1));
                        out.write(0);
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            c.markCut();   // the server closed or reset it
        }
        return null;
    }

    /** One legitimate request's outcome. */
    private record Probe(boolean ok, double millis, String failure) {
    }

    /** A GET on a fresh connection, answered 200 with the whole body within {@code deadline}. */
    private static Probe legitRequest(InetSocketAddress address, Duration deadline) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(address, (int) deadline.toMillis());
            s.setSoTimeout((int) Math.max(1, deadline.toMillis() - (System.nanoTime() - t0) / 1_000_000));
            s.getOutputStream().write(LEGIT_REQUEST);
            byte[] all = s.getInputStream().readAllBytes();   // Connection: close: the server ends it
            String text = new String(all, StandardCharsets.ISO_8859_1);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!text.startsWith("HTTP/1.1 200") || !text.endsWith("hello, world\n")) {
                String status = text.lines().findFirst().orElse("");
                return new Probe(false, ms, status.isEmpty() ? "closed without a response" : "answered '" + status + "'");
            }
            return ms <= deadline.toMillis() ? new Probe(true, ms, null) : new Probe(false, ms, "answered after " + Math.round(ms) + " ms");
        } catch (IOException e) {
            return new Probe(false, (System.nanoTime() - t0) / 1e6, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** An attacking connection: its socket, when it opened and when the server cut it (-1: not). */
    private static final class HostileConnection {
        final Socket socket;
        final long openedNanos = System.nanoTime();
        volatile long cutNanos = -1;
        private volatile boolean closing;

        private HostileConnection(Socket socket) {
            this.socket = socket;
        }

        /** Connects, or returns null when the server does not take the connection in time. */
        static HostileConnection open(InetSocketAddress address, int connectTimeoutMillis) {
            Socket s = new Socket();
            try {
                s.connect(address, connectTimeoutMillis);
                return new HostileConnection(s);
            } catch (IOException e) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to release beyond the descriptor, which close gave back
                }
                return null;
            }
        }

        void markCut() {
            if (!closing && cutNanos < 0) {
                cutNanos = System.nanoTime();
            }
        }

        /** Reads and drops what the server sends until it closes; that moment is the cut. */
        Void drainUntilClosed() {
            byte[] sink = new byte[512];
            try {
                InputStream in = socket.getInputStream();
                while (in.read(sink) >= 0) {
                    // responses and close frames are dropped
                }
            } catch (IOException e) {
                // reset, or closed by us
            }
            markCut();
            return null;
        }

        void close() {
            closing = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }
}
