package io.eventlet.http;

import io.eventlet.hub.selector.SelectorHubProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections hold read and write buffers only while bytes are in flight: an idle keep-alive
 * connection holds none, a half-received request keeps its bytes, and nothing is lost or
 * reordered across a release.
 */
class HttpBuffersTest {
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** Runs on the server's hub, after every green thread already runnable there has parked. */
    private static int holdingBuffers(HttpServer server) {
        return server.hub().spawn(server::connectionsHoldingBuffers).join();
    }

    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("response ended early: " + head);
            }
            head.append((char) b);
        }
        int at = head.indexOf("Content-Length: ") + "Content-Length: ".length();
        int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)));
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    @Test
    void idleKeepAliveConnectionsHoldNoBufferAndAHalfRequestKeepsItsBytes() throws Exception {
        try (HttpServer server = HttpServer.builder((req, resp) -> resp.send("hi " + req.path()))
                .hub("selector").start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
                    clients.add(s);
                    s.getOutputStream().write(REQUEST);
                    assertTrue(readResponse(s.getInputStream()).endsWith("hi /"));
                }
                assertEquals(20, server.connections());
                assertEquals(0, holdingBuffers(server), "every connection is idle between requests");

                Socket a = clients.get(0);
                a.getOutputStream().write("GET /half HTT".getBytes(StandardCharsets.ISO_8859_1));
                a.getOutputStream().flush();
                // The server reads the half line, then waits for the rest with its buffer held.
                int held = 0;
                for (int tries = 0; tries < 1000 && held == 0; tries++) {
                    held = holdingBuffers(server);   // each call waits for the hub to go round once
                }
                assertEquals(1, held, "a half-received request line keeps its buffer");
                a.getOutputStream().write("P/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertTrue(readResponse(a.getInputStream()).endsWith("hi /half"), "the bytes before the wait were kept");

                Socket b = clients.get(1);
                byte[] two = "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
                b.getOutputStream().write(two);
                assertTrue(readResponse(b.getInputStream()).endsWith("hi /one"));
                assertTrue(readResponse(b.getInputStream()).endsWith("hi /two"), "a pipelined request survives the first response");
                assertEquals(0, holdingBuffers(server));
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    @Test
    void theClientsPooledConnectionHoldsNoBufferAndStillWorks() throws Exception {
        try (HttpServer server = HttpServer.builder((req, resp) -> resp.send(req.bodyBytes()))
                .hub("selector").start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/");
            byte[] big = new byte[100_000];
            new Random(7).nextBytes(big);
            try (HttpClient client = HttpClient.builder().build()) {
                io.eventlet.Hub.run(new SelectorHubProvider(), () -> {
                    for (int i = 0; i < 3; i++) {
                        byte[] body = i == 1 ? big : ("n" + i).getBytes(StandardCharsets.UTF_8);
                        assertArrayEquals(body, client.post(uri, body, "application/octet-stream").bodyBytes());
                        assertEquals(0, client.buffersHeldForTest(), "the kept-alive connection idles without buffers");
                    }
                    return null;
                });
            }
            assertEquals(0, holdingBuffers(server));
        }
    }
}
