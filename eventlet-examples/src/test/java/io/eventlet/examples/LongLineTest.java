package io.eventlet.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Raw bytes over real sockets: a line without an end gets an error line and a close from echo and chat, and the servers go on. */
class LongLineTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static Socket client(InetSocketAddress at) throws IOException {
        Socket s = new Socket(at.getAddress(), at.getPort());
        s.setSoTimeout(20_000);
        return s;
    }

    /**
     * Sends {@code total} bytes of 'a' (no newline) from a thread of its own while this one reads
     * the reply: a peer that only wrote would lose the reply to the reset of the server's close.
     * Returns the bytes the writer got out before the connection failed, or {@code total}.
     */
    private static long sendEndlessLineExpectingRefusal(Socket s, long total, String expectedReply) throws Exception {
        AtomicLong sent = new AtomicLong();
        Thread writer = Thread.ofPlatform().start(() -> {
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            try {
                OutputStream out = s.getOutputStream();
                while (sent.get() < total) {
                    int n = (int) Math.min(chunk.length, total - sent.get());
                    out.write(chunk, 0, n);
                    sent.addAndGet(n);
                }
            } catch (IOException e) {
                // the server closed on us: what the test expects
            }
        });
        var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        assertEquals(expectedReply, in.readLine());
        try {
            assertEquals(-1, in.read(), "the server closed the connection after its error line");
        } catch (java.net.SocketException reset) {
            // a reset after the error line is a close too (the server stopped draining our bytes)
        }
        writer.join(20_000);
        assertTrue(!writer.isAlive(), "the writer ended");
        return sent.get();
    }

    @Test
    void echoRefusesAMegabyteLineAndServesTheNextClient() throws Exception {
        try (ServedOnHub echo = EchoExample.start(LOOPBACK, 10)) {
            try (Socket s = client(echo.address())) {
                sendEndlessLineExpectingRefusal(s, 1 << 20, "error: line longer than 8192 bytes; closing");
            }
            try (Socket s = client(echo.address())) {
                s.getOutputStream().write(("x".repeat(EchoExample.MAX_LINE_BYTES) + "\r\n").getBytes(StandardCharsets.UTF_8));
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("x".repeat(EchoExample.MAX_LINE_BYTES), in.readLine(), "a line of exactly the limit is echoed");
            }
        }
    }

    @Test
    void echoClosesA50MegabyteLineLongBeforeThePeerHasSentIt() throws Exception {
        long total = 50L << 20;
        try (ServedOnHub echo = EchoExample.start(LOOPBACK, 10); Socket s = client(echo.address())) {
            long sent = sendEndlessLineExpectingRefusal(s, total, "error: line longer than 8192 bytes; closing");
            // The server read the limit, drained at most 64 KiB and closed: what the peer got out
            // is what the two sockets' kernel buffers held, far from the whole line.
            assertTrue(sent < total / 2, "the peer got " + sent + " of " + total + " bytes out before the close");
        }
    }

    @Test
    void chatDropsTheUserWithATooLongLineAndTheOthersGoOn() throws Exception {
        try (ServedOnHub chat = ChatExample.start(LOOPBACK);
             Socket a = client(chat.address()); Socket b = client(chat.address())) {
            var ina = new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8));
            var inb = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(ina.readLine().contains("joined (2 here)"), "a sees b join");
            try (Socket bad = client(chat.address())) {
                assertTrue(ina.readLine().contains("joined (3 here)"));
                assertTrue(inb.readLine().contains("joined (3 here)"));
                sendEndlessLineExpectingRefusal(bad, 1 << 20, "error: line longer than 8192 bytes; closing");
            }
            assertTrue(ina.readLine().endsWith(" left"), "a sees the flooder leave");
            assertTrue(inb.readLine().endsWith(" left"), "b sees the flooder leave");
            a.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(inb.readLine().endsWith(": still here"), "a and b still chat");
        }
    }
}
