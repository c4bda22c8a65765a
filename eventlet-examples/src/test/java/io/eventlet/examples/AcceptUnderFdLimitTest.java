package io.eventlet.examples;

import io.eventlet.kit.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server out of file descriptors keeps its accept loop: the echo example (and a
 * {@link io.eventlet.net.MultiHubServer}) in a child JVM under {@code ulimit -n 128}, flooded with
 * 200 connections, logs one back-off episode, serves the connections it holds, and once they close
 * accepts and serves again, on every hub.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(120)
class AcceptUnderFdLimitTest {
    private static final int OPEN_FILE_LIMIT = 128;
    private static final int CONNECTIONS = 200;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FAILING = "failing: Too many open files; backing off";
    private static final String RECOVERED = "works again after";

    private static ChildJvm.Running child(String hub, String server) {
        return ChildJvm.startWithOpenFileLimit(OPEN_FILE_LIMIT,
                // No timestamps in the child's log: the logger would load the time-zone data at start-up
                // and hide a server that loads it lazily, under EMFILE, on its first access-log line.
                List.of("-Deventlet.hub=" + hub, "-Dorg.slf4j.simpleLogger.log.io.eventlet.net.Serve=info",
                        "-Dorg.slf4j.simpleLogger.showDateTime=false"),
                FdLimitServerChild.class, server);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        s.setSoTimeout((int) WAIT.toMillis());   // a read that gets nothing fails the test, it does not hang it
        return s;
    }

    private static String roundTrip(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /** An HTTP request on {@code s}: its status line, and the body's last line (the hello). */
    private static String httpRoundTrip(Socket s, String line) throws IOException {
        s.getOutputStream().write(("GET /?" + line.replace(' ', '+') + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String status = in.readLine();
        return status != null && status.startsWith("HTTP/1.1 200 ") ? line : status;
    }

    @FunctionalInterface
    interface Probe {
        String roundTrip(Socket s, String line) throws IOException;
    }

    /** Floods the child's server past its descriptors, checks it serves what it holds, lets go, and checks it serves again. */
    private static void floodThenRecover(ChildJvm.Running child) throws Exception {
        floodThenRecover(child, AcceptUnderFdLimitTest::roundTrip);
    }

    private static void floodThenRecover(ChildJvm.Running child, Probe probe) throws Exception {
        String ready = child.awaitLine(l -> l.startsWith("PORT "), WAIT);
        int port = Integer.parseInt(ready.split(" ")[1]);
        List<Socket> flood = new ArrayList<>();
        try {
            // Every connect succeeds: the kernel queues what the child cannot accept.
            for (int i = 0; i < CONNECTIONS; i++) {
                flood.add(connect(port));
            }
            child.awaitLine(l -> l.contains(FAILING), WAIT);
            // The first connections were accepted before the descriptors ran out, and are served.
            assertEquals("held", probe.roundTrip(flood.get(0), "held"), child.output());
            assertEquals("also held", probe.roundTrip(flood.get(1), "also held"), child.output());
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        // The served ones end and free their descriptors; the loop, backing off at most a second
        // at a time, accepts the dead queued connections and then a live one.
        long start = System.nanoTime();
        try (Socket again = connect(port)) {
            assertEquals("served again", probe.roundTrip(again, "served again"), child.output());
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 10_000, "accepting resumed within 10 s of the descriptors freeing, took " + tookMs + " ms");
        child.awaitLine(l -> l.contains(RECOVERED), WAIT);
        assertEquals(0, child.stop(WAIT), child.output());
        assertTrue(child.linesContaining("CLOSED").size() == 1, child.output());
        assertEquals(List.of(), child.linesContaining("Error"), "nothing failed to load or crashed:\n" + child.output());
    }

    /**
     * One warning per episode, not per failed accept (a flood fails hundreds of accepts), and a
     * recovery line for each episode that ended. A flood can make more than one episode: once
     * descriptors free up, the loop accepts the dead connections that queued, and those can use
     * the descriptors up again before their handlers close them; and an episode ends only at its
     * listener's next accept (with two SO_REUSEPORT listeners the one reconnect that proved
     * recovery reached only one of them).
     */
    private static void assertFewEpisodes(ChildJvm.Running child, int listeners) {
        int warnings = child.linesContaining(FAILING).size();
        int recovered = child.linesContaining(RECOVERED).size();
        assertTrue(warnings >= 1 && warnings <= 6, "a few episodes:\n" + child.output());
        assertTrue(recovered >= 1 && recovered <= warnings, "a recovery line per ended episode:\n" + child.output());
        // Every warning but the last episode's of each listener was followed by its recovery line:
        // a warning per failed accept (an episode fails several) would break this.
        assertTrue(warnings - recovered <= listeners, "one warning per episode, not per failure:\n" + child.output());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void echoServerOutOfDescriptorsBacksOffOnceAndServesAgain(String hub) throws Exception {
        try (ChildJvm.Running child = child(hub, "echo")) {
            floodThenRecover(child);
            assertEquals(1, child.linesContaining("HUB " + hub).size(), "the child ran the hub asked for:\n" + child.output());
            List<String> failing = child.linesContaining(FAILING);
            assertFewEpisodes(child, 1);
            assertTrue(failing.get(0).contains("WARN"), failing.get(0));
            assertTrue(failing.get(0).contains("accept on GreenServerSocket[/127.0.0.1:"), "it names the listener: " + failing.get(0));
        }
    }

    @Test
    void multiHubServerOutOfDescriptorsBacksOffOncePerListenerAndServesAgain() throws Exception {
        try (ChildJvm.Running child = child("epoll", "multihub")) {
            floodThenRecover(child);
            assertFewEpisodes(child, 2);
            assertFalse(child.output().contains("green thread"), "no serve loop died:\n" + child.output());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void httpServerOutOfDescriptorsBacksOffOnceAndServesAgain(String hub) throws Exception {
        try (ChildJvm.Running child = child(hub, "http")) {
            floodThenRecover(child, AcceptUnderFdLimitTest::httpRoundTrip);
            assertFewEpisodes(child, 1);
            assertEquals(List.of(), child.linesContaining("NoClassDefFoundError"), child.output());
        }
    }
}
