package io.eventlet.debug;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.LineReader;
import io.eventlet.net.LineTooLongException;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A console over TCP for looking inside a running program: eventlet's {@code backdoor}. Off
 * unless started; binds to loopback unless told otherwise (anyone who can connect can see every
 * green thread's stack).
 *
 * {@snippet :
 * Backdoor door = Backdoor.start(3000);            // 127.0.0.1:3000
 * // $ telnet localhost 3000
 * // eventlet> hubs
 * // eventlet> threads
 * // eventlet> stack 42
 * door.close();
 * }
 *
 * <p>Commands: {@code help}, {@code hubs} (statistics of every running hub), {@code threads}
 * (every green thread with its state), {@code stack ID} (a green thread's stack, by its virtual
 * thread id), {@code heap}, {@code gc}, {@code quit}. Each connection is served by a green thread
 * of the backdoor's own hub, so it answers even when the program's hubs are busy. A line longer
 * than {@value #MAX_LINE_BYTES} bytes (no command is near it) is answered with an error and the
 * connection closed.
 */
public final class Backdoor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Backdoor.class);

    /** The longest command line, in bytes: commands are a word and a number. */
    static final int MAX_LINE_BYTES = 4 * 1024;

    private final GreenServerSocket server;
    private final Hub hub;

    private Backdoor(GreenServerSocket server, Hub hub) {
        this.server = server;
        this.hub = hub;
    }

    /** Starts a backdoor on 127.0.0.1:{@code port} (0 picks a port). */
    public static Backdoor start(int port) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Starts a backdoor on {@code address}; prefer loopback. */
    public static Backdoor start(InetSocketAddress address) throws IOException {
        GreenServerSocket server = Eventlet.listen(address);
        Hub hub;
        try {
            hub = Hub.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        Backdoor door = new Backdoor(server, hub);
        hub.spawn(() -> {
            try {
                Eventlet.serve(server, door::session, 16);
            } catch (IOException e) {
                log.debug("backdoor stopped: {}", e.toString());
            }
            return null;
        });
        log.info("backdoor listening on {}", server.localAddress());
        return door;
    }

    /** Where it listens. */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.localAddress();
    }

    private void session(GreenSocket conn) throws IOException {
        var in = new LineReader(conn.inputStream(), MAX_LINE_BYTES);
        var out = new PrintWriter(new java.io.OutputStreamWriter(conn.outputStream(), StandardCharsets.UTF_8));
        out.print("eventlet-java backdoor; 'help' lists the commands\neventlet> ");
        out.flush();
        try {
            commands(in, out);
        } catch (LineTooLongException e) {
            out.println("error: " + e.getMessage() + "; closing");
            out.flush();
            conn.closeLingering(Duration.ofSeconds(1), 64 * 1024);
        }
    }

    private void commands(LineReader in, PrintWriter out) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.strip().split("\\s+");
            String cmd = words[0].toLowerCase(Locale.ROOT);
            if (cmd.equals("quit") || cmd.equals("exit")) {
                out.println("bye");
                out.flush();
                return;
            }
            try {
                run(cmd, words, out);
            } catch (RuntimeException e) {
                out.println("error: " + e);
            }
            out.print("eventlet> ");
            out.flush();
        }
    }

    private void run(String cmd, String[] words, PrintWriter out) {
        switch (cmd) {
            case "" -> {
            }
            case "help" -> out.println("commands: hubs | threads | stack ID | heap | gc | quit");
            case "hubs" -> {
                for (Hub h : Hub.running()) {
                    Hub.Stats s = h.stats();
                    out.printf("%s (%s): %d green threads, %d timers, %d tasks run, %d timers fired, %d polls, %d runnable%n",
                            s.hub(), s.provider(), s.greenThreads(), s.timers(), s.tasksRun(), s.timersFired(), s.polls(), s.runnable());
                }
            }
            case "threads" -> {
                for (Hub h : Hub.running()) {
                    List<GreenThread<?>> threads = h.greenThreads();
                    out.println(h.name() + ": " + threads.size() + " green threads");
                    for (GreenThread<?> g : threads) {
                        StackTraceElement[] st = g.thread() == null ? new StackTraceElement[0] : g.thread().getStackTrace();
                        out.println("  " + g + (st.length > 0 ? "  at " + frameOf(st) : ""));
                    }
                }
            }
            case "stack" -> {
                if (words.length < 2) {
                    out.println("usage: stack ID (the number after # in 'threads')");
                    return;
                }
                long id = Long.parseLong(words[1].replace("#", ""));
                for (Hub h : Hub.running()) {
                    for (GreenThread<?> g : h.greenThreads()) {
                        if (g.thread() != null && g.thread().threadId() == id) {
                            out.println(g);
                            for (StackTraceElement e : g.thread().getStackTrace()) {
                                out.println("    at " + e);
                            }
                            return;
                        }
                    }
                }
                out.println("no green thread #" + id);
            }
            case "heap" -> {
                var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                out.printf("heap used %,d B of %,d B committed (max %,d B)%n", mem.getUsed(), mem.getCommitted(), mem.getMax());
            }
            case "gc" -> {
                System.gc();
                out.println("gc requested");
            }
            default -> out.println("unknown command '" + cmd + "'; 'help' lists them");
        }
    }

    /** The first frame outside the JDK's own parking machinery: where the thread waits. */
    private static String frameOf(StackTraceElement[] st) {
        for (StackTraceElement e : st) {
            String c = e.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("io.eventlet.GreenThread")) {
                return e.toString();
            }
        }
        return st[0].toString();
    }

    /** Stops listening and closes the backdoor's hub (open sessions end). */
    @Override
    public void close() throws IOException {
        server.close();
        hub.close();
    }
}
