package io.eventlet.examples;

import io.eventlet.kit.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples stopped as a service manager stops them: SIGTERM to a child JVM serving a client.
 * The shutdown hook shuts the server down gracefully; nothing is logged as an error, no stack
 * trace is printed (closing the listener from a hook once ended {@code serve} with a
 * {@code CompletionException}), the client's connection is closed, and the JVM exits on the signal.
 */
@Timeout(120)
class ShutdownHookTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "poll", "selector"})
    void sigtermStopsTheEchoServerQuietlyWhileAClientIsConnected(String hub) throws Exception {
        try (ChildJvm.Running child = ChildJvm.startWithOpenFileLimit(1024,
                List.of("-Deventlet.hub=" + hub, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=false"),
                Launcher.class, "echo", "--bind", "127.0.0.1", "--port", "0")) {
            String listening = child.awaitLine(l -> l.contains("echo server listening on"), WAIT);
            Matcher m = PORT.matcher(listening);
            assertTrue(m.find(), listening);
            assertTrue(listening.contains("hub " + hub), listening);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)))) {
                client.setSoTimeout((int) WAIT.toMillis());
                var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                client.getOutputStream().write("before the signal\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("before the signal", in.readLine());
                assertEquals(143, child.terminate(WAIT), "the JVM ended on SIGTERM, after its hooks:\n" + child.output());
                assertEquals(null, in.readLine(), "the shutdown closed the client's connection");
            }
            String out = child.output();
            for (String bad : List.of("Exception", "\tat ", "ERROR", "WARN")) {
                assertTrue(!out.contains(bad), "'" + bad + "' in the child's output:\n" + out);
            }
        }
    }
}
