package io.eventlet.bench.reliability;

import io.eventlet.http.HttpServer;
import io.eventlet.http.WebSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server {@code ./eventlet bench reliability} attacks, in its own JVM: eventlet-http on one
 * hub with {@code GET /} (hello), {@code POST /upload} (reads the whole body) and {@code /ws}
 * (a WebSocket echo). Prints {@code READY <port> <pid>} and {@code LIMITS applied=... missing=...}
 * (which of the hostile-client limits this build of eventlet-http has), then answers {@code heap}
 * with {@code HEAP <bytes used after GC>} and stops at {@code quit} or the end of its input.
 *
 * <p>Usage: {@code ReliabilityServer --hub NAME [--max-connections N] [--head-timeout 30s]
 * [--body-timeout 30s] [--min-body-rate 100] [--idle-timeout 60s]}
 */
public final class ReliabilityServer {
    static final byte[] HELLO = "hello, world\n".getBytes(StandardCharsets.US_ASCII);

    private ReliabilityServer() {
    }

    public static void main(String[] args) throws Exception {
        String hub = null;
        int maxConnections = 10_000;
        Duration headTimeout = Duration.ofSeconds(30);
        Duration bodyTimeout = Duration.ofSeconds(30);
        long minBodyRate = 100;
        Duration idleTimeout = Duration.ofSeconds(60);
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--hub" -> hub = value;
                case "--max-connections" -> maxConnections = Integer.parseInt(value);
                case "--head-timeout" -> headTimeout = ReliabilityOptions.parseDuration(value);
                case "--body-timeout" -> bodyTimeout = ReliabilityOptions.parseDuration(value);
                case "--min-body-rate" -> minBodyRate = Long.parseLong(value);
                case "--idle-timeout" -> idleTimeout = ReliabilityOptions.parseDuration(value);
                default -> {
                    System.err.println("ReliabilityServer: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
            i++;
        }
        HttpServer.Builder builder = HttpServer.builder((req, resp) -> {
            switch (req.path()) {
                case "/upload" -> resp.send("received " + req.bodyBytes().length + " bytes\n");
                case "/ws" -> {
                    WebSocket ws = WebSocket.accept(req, resp);
                    if (ws != null) {
                        for (WebSocket.Message m; (m = ws.receive()) != null; ) {
                            ws.sendBinary(m.data());
                        }
                    }
                }
                default -> resp.header("Content-Type", "text/plain").send(HELLO);
            }
        }).hub(hub).maxConnections(maxConnections).idleTimeout(idleTimeout);
        List<String> applied = new ArrayList<>(List.of("maxConnections=" + maxConnections, "idleTimeout=" + idleTimeout.toMillis() + "ms"));
        builder.headerTimeout(headTimeout).bodyTimeout(bodyTimeout, minBodyRate);
        applied.add("headerTimeout=" + headTimeout.toMillis() + "ms");
        applied.add("bodyTimeout=" + bodyTimeout.toMillis() + "ms");
        applied.add("minBodyRate=" + minBodyRate + "B/s");
        List<String> missing = new ArrayList<>();
        HttpServer server = builder.start(new InetSocketAddress("127.0.0.1", 0));
        System.out.println("READY " + server.address().getPort() + " " + ProcessHandle.current().pid());
        System.out.println("LIMITS applied=" + String.join(",", applied) + " missing=" + String.join(",", missing));
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = commands.readLine()) != null && !line.equals("quit"); ) {
            if (line.equals("heap")) {
                System.gc();
                System.out.println("HEAP " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                System.out.flush();
            }
        }
        // Not a graceful shutdown: attackers may still hold connections and a drain would wait on them.
        Runtime.getRuntime().halt(0);
    }
}
