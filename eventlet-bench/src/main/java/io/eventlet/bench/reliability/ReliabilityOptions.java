package io.eventlet.bench.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@code ./eventlet bench reliability} and the sizes of each attack: the full
 * run's (the numbers of issue 11) or {@code --quick}'s (small counts and short timeouts, about a
 * minute in all, to prove the harness works).
 *
 * @param hubs the hubs to attack, empty for every available one
 * @param attacks the attacks to run, in order
 * @param scale counts and timings
 * @param output the Markdown report
 * @param serverCpu the CPU list the server child is pinned to ({@code taskset -c})
 */
record ReliabilityOptions(List<String> hubs, List<Attack> attacks, Scale scale, Path output, String serverCpu) {

    static final String USAGE = """
            usage: ./eventlet bench reliability [--hubs epoll,poll,selector] [--quick]
                     [--attacks slowloris,slow-body,idle-keepalive,pipeliner,websocket-16mib,fd-exhaustion]
                     [--output bench-results/reliability.md] [--server-cpu 0]
            Attacks an eventlet-http server (a child JVM per attack, pinned to --server-cpu) on each hub
            with hostile clients over loopback, while a legitimate client sends a GET on a fresh
            connection every 150 ms; writes a table of what held, what was cut and how the server fared.
            --quick: small counts and short timeouts, on the preferred hub unless --hubs names more
            (about a minute); default: issue 11's sizes on every available hub.""";

    /**
     * Counts and timings of one run.
     *
     * @param slowConnections slowloris and slow-body connections (the server's maxConnections too)
     * @param slowByteInterval the pause between two bytes of a slowloris head
     * @param headTimeout the head deadline the server is asked for (and the legit client's target is this + 1 s)
     * @param bodyTimeout the body deadline the server is asked for
     * @param minBodyRate the slowest body the server is asked to accept, bytes/s
     * @param idleConnections keep-alive connections left idle after one request
     * @param pipeliners connections that send requests and never read
     * @param webSockets connections whose frame header claims 16 MiB
     * @param fdClients clients of the descriptor-exhaustion attack
     * @param fdLimit the server's {@code ulimit -n} in that attack
     * @param hold how long an attack is kept up once its connections are open (slowloris and slow
     *     bodies: at least the head or body deadline plus this)
     * @param rampLimit the longest the connections of one attack may take to open
     */
    record Scale(int slowConnections, Duration slowByteInterval, Duration headTimeout, Duration bodyTimeout, long minBodyRate,
                 int idleConnections, int pipeliners, int webSockets, int fdClients, int fdLimit, Duration hold, Duration rampLimit) {
        static final Scale FULL = new Scale(2_000, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), 100,
                10_000, 20, 100, 1_500, 1_024, Duration.ofSeconds(10), Duration.ofSeconds(30));
        static final Scale QUICK = new Scale(200, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), 100,
                1_000, 4, 20, 1_500, 1_024, Duration.ofMillis(1_500), Duration.ofSeconds(4));

        /** The legitimate client's target: answered within the head deadline plus one second. */
        Duration legitTarget() {
            return headTimeout.plusSeconds(1);
        }
    }

    static ReliabilityOptions parse(String... args) {
        List<String> hubs = List.of();
        List<Attack> attacks = List.of(Attack.values());
        Scale scale = Scale.FULL;
        Path output = Path.of("bench-results", "reliability.md");
        String serverCpu = "0";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--quick" -> scale = Scale.QUICK;
                case "--hubs" -> hubs = list(value != null ? value : next(args, ++i, arg));
                case "--attacks" -> attacks = list(value != null ? value : next(args, ++i, arg)).stream().map(Attack::byLabel).toList();
                case "--output" -> output = Path.of(value != null ? value : next(args, ++i, arg));
                case "--server-cpu" -> serverCpu = value != null ? value : next(args, ++i, arg);
                case "-h", "--help" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option " + args[i]);
            }
        }
        return new ReliabilityOptions(hubs, attacks, scale, output, serverCpu);
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip().toLowerCase(Locale.ROOT));
            }
        }
        if (out.isEmpty()) {
            throw new UsageException("empty list '" + csv + "'");
        }
        return out;
    }

    /** 90, 90s, 500ms, 5m, 1h. */
    static Duration parseDuration(String s) {
        if (s == null || s.isBlank()) {
            throw new UsageException("missing duration");
        }
        String t = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new UsageException("bad duration '" + s + "' (use 500ms, 5s, 2m)");
        }
    }

    /** A command line that cannot be run; null message: just the usage was asked for. */
    static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "hubs " + (hubs.isEmpty() ? "all" : hubs) + ", attacks " + Arrays.toString(attacks.stream().map(Attack::label).toArray())
                + ", " + (scale == Scale.QUICK ? "quick" : "full");
    }
}
