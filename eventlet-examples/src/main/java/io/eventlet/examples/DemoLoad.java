package io.eventlet.examples;

import io.eventlet.Eventlet;
import io.eventlet.Hub;
import io.eventlet.http.HttpClient;
import io.eventlet.http.HttpServer;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.spi.HubProvider;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load of the demo: a server it starts on a hub of its own, and the client side of one
 * connection, which runs in a client green thread and checks every answer it gets.
 */
interface DemoLoad {
    /** Bounds every connect, read and write of the demo, so a stuck run fails instead of hanging. */
    Duration IO_TIMEOUT = Duration.ofSeconds(10);

    String name();

    /** Starts the server on a new hub of {@code provider}, listening on a loopback port. */
    Server start(HubProvider provider) throws IOException;

    /**
     * Prepares one client connection to {@code server}; called in a client green thread. The
     * connection may open on the first {@link Session#roundTrip}, which the demo makes before it
     * counts a client as connected.
     */
    Session connect(InetSocketAddress server) throws IOException;

    /** A running server. */
    interface Server extends Closeable {
        InetSocketAddress address() throws IOException;

        /** The hub the server runs on (its green threads are counted at the peak). */
        Hub hub();
    }

    /** One client connection. */
    interface Session extends Closeable {
        /** Sends one request and reads its whole answer; throws when the answer is not the expected one. */
        void roundTrip() throws IOException;
    }

    /**
     * Echo: the server returns every byte it reads; a round trip is a 64-byte message whose first
     * 8 bytes carry a sequence number, compared byte for byte when it comes back.
     */
    record Echo() implements DemoLoad {
        static final int MESSAGE_BYTES = 64;
        /** More than the demo's thousands of connections arriving at once, so no SYN is dropped. */
        static final int BACKLOG = 4096;
        private static final Logger log = LoggerFactory.getLogger(Echo.class);

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public Server start(HubProvider provider) throws IOException {
            GreenServerSocket listener = Eventlet.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
            return ServedOnHub.start(Hub.start(provider), listener, Echo::echo, Integer.MAX_VALUE,
                    (conn, e) -> log.debug("echo connection {} failed: {}", conn, e.toString()));
        }

        private static void echo(GreenSocket connection) throws IOException {
            connection.setTcpNoDelay(true);
            byte[] buffer = new byte[1024];
            for (int n; (n = connection.read(buffer, 0, buffer.length)) > 0; ) {
                connection.writeAll(buffer, 0, n);
            }
        }

        @Override
        public Session connect(InetSocketAddress server) throws IOException {
            GreenSocket socket = Eventlet.connect(server, IO_TIMEOUT);
            try {
                socket.setTcpNoDelay(true);
                socket.setTimeout(IO_TIMEOUT);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
            return new Session() {
                private final byte[] sent = filler();
                private final byte[] received = new byte[MESSAGE_BYTES];
                private long sequence;

                @Override
                public void roundTrip() throws IOException {
                    long seq = ++sequence;
                    for (int i = 0; i < Long.BYTES; i++) {
                        sent[i] = (byte) (seq >>> (8 * i));
                    }
                    socket.writeAll(sent);
                    socket.readFully(received);
                    if (!Arrays.equals(sent, received)) {
                        throw new IOException("echo " + seq + " came back changed");
                    }
                }

                @Override
                public void close() throws IOException {
                    socket.close();
                }
            };
        }

        private static byte[] filler() {
            byte[] b = new byte[MESSAGE_BYTES];
            for (int i = Long.BYTES; i < b.length; i++) {
                b[i] = (byte) ('a' + i % 26);
            }
            return b;
        }
    }

    /**
     * HTTP: the {@code http} example's server on eventlet-http; a round trip is a keep-alive
     * {@code GET /} through {@link HttpClient}, whose status and body are checked. Each session
     * has a client of its own bounded to one connection, so the demo holds exactly as many
     * connections as it has clients.
     */
    record Http() implements DemoLoad {
        private static final byte[] HELLO = "Hello, World!\n".getBytes(StandardCharsets.UTF_8);

        @Override
        public String name() {
            return "http";
        }

        @Override
        public Server start(HubProvider provider) throws IOException {
            HttpServer server = HttpServer.builder(HttpExample::handle).hub(provider.name())
                    .maxConnections(Integer.MAX_VALUE)   // the demo's --connections is the bound, not the server's default 10,000
                    .start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new Server() {
                @Override
                public InetSocketAddress address() throws IOException {
                    return server.address();
                }

                @Override
                public Hub hub() {
                    return server.hub();
                }

                @Override
                public void close() throws IOException {
                    server.close();
                }
            };
        }

        @Override
        public Session connect(InetSocketAddress server) throws IOException {
            URI uri = URI.create("http://" + server.getAddress().getHostAddress() + ":" + server.getPort() + "/");
            HttpClient client = HttpClient.builder().maxConnectionsPerHost(1)
                    .connectTimeout(IO_TIMEOUT).readTimeout(IO_TIMEOUT).build();
            return new Session() {
                @Override
                public void roundTrip() throws IOException {
                    try (HttpClient.Response r = client.get(uri)) {
                        byte[] body = r.bodyBytes();
                        if (r.status() != 200 || !Arrays.equals(body, HELLO)) {
                            throw new IOException("unexpected answer: " + r.status() + " with " + body.length + " bytes");
                        }
                    }
                }

                @Override
                public void close() {
                    client.close();
                }
            };
        }
    }
}
