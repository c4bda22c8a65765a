package io.eventlet.bench.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * One echo server in its own JVM, started by {@link EchoLoad} so that the server's CPU time can
 * be read from {@code /proc} apart from the load generator's.
 *
 * {@snippet lang=sh :
 * java --add-opens java.base/java.lang=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED \
 *      --enable-native-access=ALL-UNNAMED -cp eventlet-bench/target/benchmarks.jar \
 *      io.eventlet.bench.echo.EchoServer --kind green --hub epoll --hubs 1 --port 0
 * # READY 40123 81234          (port, pid)
 * # heap                       (typed: runs GC, answers with the heap in use)
 * # HEAP 5320184
 * # quit
 * }
 *
 * <h2>Protocol</h2>
 * Prints {@code READY <port> <pid>} on standard output once it listens, then answers lines on
 * standard input: {@code heap} runs {@link System#gc()} a few times and prints
 * {@code HEAP <usedBytes>}; {@code quit}, or the end of input (the harness is gone), stops it.
 * An unknown line gets {@code ERROR ...}. Diagnostics go to standard error.
 *
 * <h2>Threading</h2>
 * The main thread reads commands; the server runs on its own threads (a hub, virtual threads or
 * Netty event loops).
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true,
        description = "An echo server for the echo load benchmark; controlled through stdin (heap, quit).")
public final class EchoServer implements Callable<Integer> {
    @Option(names = "--kind", required = true, converter = KindConverter.class,
            description = "green, jdk, netty-epoll or netty-nio")
    ServerKind kind;

    @Option(names = "--hub", description = "green only: the hub (selector, epoll, poll); default: -Deventlet.hub, else the best available")
    String hub;

    @Option(names = "--hubs", defaultValue = "1",
            description = "green: 1 = Eventlet.serve on one hub, N = MultiHubServer on N hubs; jdk: carrier threads; netty: event loops (default: ${DEFAULT-VALUE})")
    int hubs;

    @Option(names = "--port", defaultValue = "0", description = "port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    /** Runs the server; exits 2 on a usage error. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new EchoServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (hubs < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--hubs must be at least 1, got " + hubs);
        }
        if (hub != null && kind != ServerKind.GREEN) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--hub applies to --kind green only, not " + kind);
        }
        RunningEchoServer server = start(kind, hub, hubs, port);
        System.out.println("READY " + server.port() + " " + ProcessHandle.current().pid());
        System.out.flush();
        try {
            serveCommands(server);
        } finally {
            server.close();
        }
        // Netty's and the hubs' threads must not keep the JVM alive after quit.
        System.exit(0);
        return 0;
    }

    /** Starts a server of {@code kind}; package-private so tests run one in-process. */
    static RunningEchoServer start(ServerKind kind, String hub, int hubs, int port) throws IOException {
        return switch (kind) {
            case GREEN -> GreenEchoServer.start(hub, hubs, port);
            case JDK -> {
                // Read when the first virtual thread starts: set it before that, unless the command line did.
                if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null) {
                    System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(hubs));
                }
                yield JdkEchoServer.start(port);
            }
            case NETTY_EPOLL -> NettyEchoServer.start(true, hubs, port);
            case NETTY_NIO -> NettyEchoServer.start(false, hubs, port);
        };
    }

    private static void serveCommands(RunningEchoServer server) throws IOException, InterruptedException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line.strip()) {
                case "heap" -> System.out.println("HEAP " + usedHeapAfterGc());
                case "quit" -> {
                    return;
                }
                case "" -> {
                }
                default -> System.out.println("ERROR unknown command '" + line.strip() + "': expected heap or quit");
            }
            System.out.flush();
        }
    }

    /** Heap in use once garbage is gone: several GCs, since one may leave floating garbage behind. */
    static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    static final class KindConverter implements CommandLine.ITypeConverter<ServerKind> {
        @Override
        public ServerKind convert(String value) {
            try {
                return ServerKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
