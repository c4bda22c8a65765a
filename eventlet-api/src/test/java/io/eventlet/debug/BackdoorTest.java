package io.eventlet.debug;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.sync.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backdoor console over a real socket. */
class BackdoorTest {
    /** Reads until the prompt; returns what came before it. */
    private static String untilPrompt(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("eventlet> ")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private static String ask(Socket s, String command) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return untilPrompt(s.getInputStream());
    }

    @Test
    void listsHubsThreadsAndStacksOfARunningProgram() throws Exception {
        Hub app = Hub.start(new SelectorHubProvider());
        Event<Void> stop = new Event<>();
        GreenThread<Void> sleeper = app.spawn(() -> {
            stop.await();
            return null;
        });
        try (Backdoor door = Backdoor.start(0); Socket s = new Socket()) {
            InetSocketAddress at = door.address();
            assertTrue(at.getAddress().isLoopbackAddress(), "loopback by default");
            s.connect(at);
            s.setSoTimeout(20_000);
            assertTrue(untilPrompt(s.getInputStream()).contains("backdoor"));
            assertTrue(ask(s, "help").contains("threads"));
            String hubs = ask(s, "hubs");
            assertTrue(hubs.contains(app.name()), hubs);
            while (!sleeper.isStarted()) {
                Eventlet.sleep(Duration.ofMillis(1));
            }
            String threads = ask(s, "threads");
            assertTrue(threads.contains(app.name() + ": 1 green threads"), threads);
            Matcher m = Pattern.compile("GreenThread\\[" + Pattern.quote(app.name()) + "-green-\\d+ #(\\d+), [a-z]+, " + Pattern.quote(app.name()) + "\\]").matcher(threads);
            assertTrue(m.find(), threads);
            String stack = ask(s, "stack " + m.group(1));
            assertTrue(stack.contains("io.eventlet.sync.Event.await"), stack);
            assertTrue(ask(s, "stack 999999999").contains("no green thread"));
            assertTrue(ask(s, "stack").contains("usage"));
            assertTrue(ask(s, "heap").contains("heap used"));
            assertTrue(ask(s, "gc").contains("gc requested"));
            assertTrue(ask(s, "frobnicate").contains("unknown command"));
            assertTrue(ask(s, "stack x").contains("error"));
            s.getOutputStream().write("quit\n".getBytes(StandardCharsets.UTF_8));
            String bye = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("bye\n", bye.replace("\r", ""));
        } finally {
            stop.send(null);
            sleeper.join();
            app.close();
        }
    }

    @Test
    void aCommandLineOverTheLimitIsRefusedAndTheBackdoorServesTheNextSession() throws Exception {
        try (Backdoor door = Backdoor.start(0)) {
            try (Socket s = new Socket()) {
                s.connect(door.address());
                s.setSoTimeout(20_000);
                untilPrompt(s.getInputStream());
                Thread writer = Thread.ofPlatform().start(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) 'a');
                    try {
                        for (int i = 0; i < 16; i++) {   // 1 MiB without a newline
                            s.getOutputStream().write(chunk);
                        }
                    } catch (IOException e) {
                        // closed by the backdoor: expected
                    }
                });
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("error: line longer than " + Backdoor.MAX_LINE_BYTES + " bytes; closing", in.readLine());
                try {
                    assertEquals(-1, in.read(), "closed after the error");
                } catch (java.net.SocketException reset) {
                    // a reset after the error line is a close too
                }
                writer.join(20_000);
            }
            try (Socket s = new Socket()) {
                s.connect(door.address());
                s.setSoTimeout(20_000);
                untilPrompt(s.getInputStream());
                assertTrue(ask(s, "help").contains("threads"), "the next session is served");
            }
        }
    }
}
