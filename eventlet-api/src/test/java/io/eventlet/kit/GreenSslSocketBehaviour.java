package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.GreenSslSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static io.eventlet.kit.OnHub.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS green sockets on one kind of hub: green client and server together, and against clients and
 * servers nobody here wrote ({@code curl}, {@code openssl s_client}, {@code openssl s_server}),
 * with a CA made for the test ({@link TestCa}). One behaviour of the conformance kit, a test
 * interface that {@link HubConformance} implements.
 */
public interface GreenSslSocketBehaviour extends HubCases {
    /**
     * Makes the JVM's test CA before the first case of this behaviour needs it, outside that case's
     * timeout (keytool runs a few times). Each case then makes its own contexts from it, so no
     * case sees another's TLS sessions.
     */
    @BeforeEach
    default void makeCa(TestInfo test) throws Exception {
        if (!HubCases.isCaseOf(GreenSslSocketBehaviour.class, test)) {
            return;
        }
        TestCa.get();
    }

    private static SSLParameters alpn(SSLContext ctx, String... protocols) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        p.setApplicationProtocols(protocols);
        return p;
    }

    private static int port(GreenServerSocket s) throws IOException {
        return ((InetSocketAddress) s.localAddress()).getPort();
    }

    @Test
    default void greenClientAndServerExchangeEveryByteAndAgreeOnAlpnAndSni() throws Exception {
        TestCa ca = TestCa.get();
        SSLContext serverTls = ca.serverContext();
        SSLContext clientTls = ca.clientContext();
        byte[] data = new byte[200 * 1024];
        new Random(3).nextBytes(data);
        OnHub.run(provider(), () -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
                AtomicReference<String> sni = new AtomicReference<>();
                GreenThread<String> echo = Eventlet.spawn(() -> {
                    try (GreenSslSocket conn = GreenSslSocket.wrap(server.accept(), serverTls, false, alpn(serverTls, "http/1.1"))) {
                        ByteBuffer buf = ByteBuffer.allocate(8192);
                        while (conn.read(buf) >= 0) {
                            buf.flip();
                            conn.writeAll(buf);
                            buf.clear();
                        }
                        sni.set(conn.requestedServerName());
                        return conn.applicationProtocol();
                    }
                });
                SSLParameters params = alpn(clientTls, "h2", "http/1.1");
                params.setServerNames(List.of(new SNIHostName("localhost")));
                params.setEndpointIdentificationAlgorithm("HTTPS");
                try (GreenSslSocket client = GreenSslSocket.wrap(Eventlet.connect(server.localAddress()), clientTls, true, params)) {
                    client.handshake();
                    assertEquals("http/1.1", client.applicationProtocol());
                    GreenThread<Void> writer = Eventlet.spawn(() -> {
                        client.writeAll(data);
                        return null;
                    });
                    byte[] back = new byte[data.length];
                    client.readFully(ByteBuffer.wrap(back));
                    writer.join();
                    assertArrayEquals(data, back);
                }
                assertEquals("http/1.1", echo.join(), "the server read a clean end after close_notify");
                assertEquals("localhost", sni.get());
            }
        });
    }

    @Test
    default void curlFetchesFromAGreenHttpsServer() throws Exception {
        TestCa ca = TestCa.get();
        SSLContext serverTls = ca.serverContext();
        Hub hub = Hub.start(provider());
        try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
            AtomicReference<String> seen = new AtomicReference<>();
            GreenThread<Void> serving = hub.spawn(() -> {
                try (GreenSslSocket conn = GreenSslSocket.wrap(server.accept(), serverTls, false, alpn(serverTls, "http/1.1"))) {
                    var in = new BufferedReader(new InputStreamReader(conn.inputStream(), StandardCharsets.US_ASCII));
                    String request = in.readLine();
                    while (!in.readLine().isEmpty()) {
                        // headers
                    }
                    seen.set(request + " alpn=" + conn.applicationProtocol() + " sni=" + conn.requestedServerName());
                    conn.writeAll("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n".getBytes(StandardCharsets.US_ASCII));
                }
                return null;
            });
            int port = port(server);
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--cacert", ca.caPem.toString(),
                    "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/tls").redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, curl.exitValue(), out);
            assertEquals("hello\n", out);
            serving.join();
            assertEquals("GET /tls HTTP/1.1 alpn=http/1.1 sni=localhost", seen.get());
        } finally {
            hub.close();
        }
    }

    @Test
    default void opensslClientTalksToAGreenServer() throws Exception {
        TestCa ca = TestCa.get();
        SSLContext serverTls = ca.serverContext();
        Hub hub = Hub.start(provider());
        try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
            GreenThread<String> serving = hub.spawn(() -> {
                try (GreenSslSocket conn = Eventlet.wrapSsl(server.accept(), serverTls, false)) {
                    var in = new BufferedReader(new InputStreamReader(conn.inputStream(), StandardCharsets.US_ASCII));
                    String line = in.readLine();
                    conn.writeAll(("pong " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                    return in.readLine();   // null: the client ended the stream
                }
            });
            Process sClient = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port(server),
                    "-servername", "localhost", "-CAfile", ca.caPem.toString(), "-verify_return_error", "-quiet", "-no_ign_eof")
                    .redirectErrorStream(true).start();
            OutputStream stdin = sClient.getOutputStream();
            stdin.write("ping\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            var stdout = new BufferedReader(new InputStreamReader(sClient.getInputStream(), StandardCharsets.US_ASCII));
            StringBuilder all = new StringBuilder();
            for (String line; (line = stdout.readLine()) != null; ) {
                all.append(line).append('\n');
                if (line.equals("pong ping")) {
                    break;
                }
            }
            assertTrue(all.toString().contains("pong ping"), all.toString());
            stdin.close();   // s_client sends close_notify and exits
            assertTrue(sClient.waitFor(30, TimeUnit.SECONDS));
            assertEquals(null, serving.join());
        } finally {
            hub.close();
        }
    }

    @Test
    default void aGreenClientTalksToOpensslServer() throws Exception {
        TestCa ca = TestCa.get();
        SSLContext clientTls = ca.clientContext();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process sServer = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-www",
                "-cert", ca.serverKeyAndCertPem.toString(), "-key", ca.serverKeyAndCertPem.toString())
                .redirectErrorStream(true).start();
        try {
            var log = new BufferedReader(new InputStreamReader(sServer.getInputStream(), StandardCharsets.US_ASCII));
            for (String line; (line = log.readLine()) != null && !line.contains("ACCEPT"); ) {
                // until it listens
            }
            String status = Hub.run(provider(), () -> {
                try (GreenSslSocket s = GreenSslSocket.client(Eventlet.connect(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(10)),
                        clientTls, "localhost")) {
                    s.setTimeout(Duration.ofSeconds(10));
                    s.writeAll("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return new BufferedReader(new InputStreamReader(s.inputStream(), StandardCharsets.US_ASCII)).readLine();
                }
            });
            assertEquals("HTTP/1.0 200 ok", status);
        } finally {
            sServer.destroy();
            sServer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    default void aServerCertificateForAnotherNameFailsTheHandshake() throws Exception {
        TestCa ca = TestCa.get();
        SSLContext serverTls = ca.serverContext();
        SSLContext clientTls = ca.clientContext();
        OnHub.run(provider(), () -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
                GreenThread<Void> serving = Eventlet.spawn(() -> {
                    try (GreenSslSocket conn = GreenSslSocket.server(server.accept(), serverTls)) {
                        conn.handshake();
                    }
                    return null;
                });
                try (GreenSslSocket client = GreenSslSocket.client(Eventlet.connect(server.localAddress()), clientTls, "example.org")) {
                    assertThrows(SSLHandshakeException.class, client::handshake);
                }
                assertThrows(CompletionException.class, serving::join, "the server sees the client's alert");
            }
        });
    }

    @Test
    default void aStalledHandshakeEndsWithTheSocketTimeout() throws Exception {
        TestCa ca = TestCa.get();
        SSLContext clientTls = ca.clientContext();
        OnHub.run(provider(), () -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket raw = Eventlet.connect(server.localAddress());
                 GreenSocket silent = server.accept()) {
                raw.setTimeout(Duration.ZERO);
                assertThrows(IllegalArgumentException.class, () -> GreenSslSocket.client(raw, clientTls, "localhost"), "no TLS over a non-blocking socket");
                raw.setTimeout(null);
                GreenSslSocket client = GreenSslSocket.client(raw, clientTls, "localhost");
                client.setTimeout(Duration.ofMillis(100));
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, client::handshake);
                assertTrue(e.getMessage().contains("read"), e.getMessage());
                client.close();
                silent.setTimeout(Duration.ofSeconds(10));
                ByteBuffer hello = ByteBuffer.allocate(64 * 1024);
                int n;
                while ((n = silent.read(hello)) > 0) {
                    // the ClientHello that went unanswered
                }
                assertEquals(-1, n, "the peer sees the close");
                assertTrue(hello.position() > 0, "a ClientHello was sent");
            }
        });
    }

    @Test
    default void closingFromAnotherGreenThreadWakesABlockedReader() throws Exception {
        TestCa ca = TestCa.get();
        SSLContext serverTls = ca.serverContext();
        SSLContext clientTls = ca.clientContext();
        OnHub.run(provider(), () -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
                GreenThread<Void> serving = Eventlet.spawn(() -> {
                    try (GreenSslSocket conn = GreenSslSocket.server(server.accept(), serverTls)) {
                        conn.handshake();
                        conn.read(ByteBuffer.allocate(10));   // until the client's end
                    }
                    return null;
                });
                GreenSslSocket client = GreenSslSocket.client(Eventlet.connect(server.localAddress()), clientTls, "localhost");
                client.handshake();
                GreenThread<Integer> reader = Eventlet.spawn(() -> client.read(ByteBuffer.allocate(10)));
                Eventlet.sleep();
                client.close();
                Throwable e = assertThrows(CompletionException.class, reader::join).getCause();
                assertInstanceOf(AsynchronousCloseException.class, e);
                serving.join();
            }
        });
    }
}
