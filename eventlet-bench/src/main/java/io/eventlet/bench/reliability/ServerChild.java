package io.eventlet.bench.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link ReliabilityServer} in its own JVM under {@code ulimit -n LIMIT}, pinned with
 * {@code taskset}, driven through its standard input and output (the way the echo benchmark's
 * ServerProcess drives its servers; that one is bound to EchoServer's command line).
 *
 * <p>Threading: one thread uses it; a daemon thread pumps the server's output.
 */
final class ServerChild implements AutoCloseable {
    /** ARCHITECTURE.md §5: every JVM that runs green threads needs these. */
    private static final List<String> JVM_FLAGS = List.of(
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");
    private static final String END_OF_OUTPUT = "\u0000end";

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final int port;
    final long pid;
    final String limits;

    private ServerChild(Process process) throws IOException {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("reliability-server-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // gone: the reader learns it from END_OF_OUTPUT
            } finally {
                lines.add(END_OF_OUTPUT);
            }
        });
        String[] ready = awaitLine("READY ", Duration.ofSeconds(60)).split(" ");
        this.port = Integer.parseInt(ready[1]);
        this.pid = Long.parseLong(ready[2]);
        this.limits = awaitLine("LIMITS ", Duration.ofSeconds(10)).substring("LIMITS ".length());
    }

    /** Starts the server on {@code hub} with at most {@code fdLimit} open files and {@code serverArgs}. */
    static ServerChild start(String hub, String cpu, int fdLimit, Path java, String classPath, List<String> serverArgs) throws IOException {
        List<String> javaCmd = new ArrayList<>(List.of("taskset", "-c", cpu, java.toString()));
        javaCmd.addAll(JVM_FLAGS);
        javaCmd.addAll(List.of("-Xmx1g", "-Dorg.slf4j.simpleLogger.log.io.eventlet.http.access=warn", "-Deventlet.hub=" + hub,
                "-cp", classPath, ReliabilityServer.class.getName(), "--hub", hub));
        javaCmd.addAll(serverArgs);
        // The limit is the server's own (the harness keeps its 20,000); when the hard limit is
        // lower than asked, the server gets the hard limit (reported as its fds at the peak).
        // exec keeps the pid.
        List<String> cmd = List.of("bash", "-c", "{ ulimit -n " + fdLimit + " || ulimit -n \"$(ulimit -Hn)\"; } 2>/dev/null; exec \"$@\"",
                "reliability-server");
        List<String> full = new ArrayList<>(cmd);
        full.addAll(javaCmd);
        Process p = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new ServerChild(p);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw new IOException("reliability server on " + hub + " did not start: " + e.getMessage() + "\n  command: " + String.join(" ", full), e);
        }
    }

    /** Heap in use after a GC, in bytes. */
    long heapBytes() throws IOException {
        commands.write("heap\n");
        commands.flush();
        return Long.parseLong(awaitLine("HEAP ", Duration.ofSeconds(30)).substring("HEAP ".length()).strip());
    }

    /** Open descriptors of the server JVM (/proc/PID/fd); -1 when it is gone. */
    int openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    private String awaitLine(String prefix, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IOException("no '" + prefix.strip() + "' line from the server within " + timeout.toSeconds() + " s");
                }
                if (line.equals(END_OF_OUTPUT)) {
                    throw new IOException("the server ended before '" + prefix.strip() + "' (its stderr is above)");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                System.err.println("[server] " + line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.close();
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                return;
            }
        } catch (IOException e) {
            // already gone or its input broken: make sure below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
