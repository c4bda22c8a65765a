package io.eventlet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark's server in a child JVM, driven through its standard input and output: it prints
 * {@code READY <port> <pid>} when it serves, answers {@code heap} with {@code HEAP <bytes>}
 * (after a GC) and ends on {@code quit}. The echo and reliability harnesses both start theirs
 * this way; each builds its own command line.
 *
 * <p>Threading: one thread uses it; a daemon thread of its own pumps the child's output.
 */
public final class ChildServer implements AutoCloseable {
    /** The flags every JVM running green threads needs (docs/design.md, "JVM flags"). */
    public static final List<String> JVM_FLAGS = List.of(
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");
    private static final String END_OF_OUTPUT = "\u0000end";

    private final String name;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final int port;
    private final long pid;

    private ChildServer(String name, Process process, Duration startTimeout) throws IOException {
        this.name = name;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("child-server-output-" + process.pid()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The process went away; the reader of `lines` learns it from END_OF_OUTPUT.
            } finally {
                lines.add(END_OF_OUTPUT);
            }
        });
        String ready = awaitLine("READY ", startTimeout);
        String[] f = ready.split(" ");
        if (f.length != 3) {
            throw new IOException(name + " sent a malformed READY line: '" + ready + "'");
        }
        try {
            this.port = Integer.parseInt(f[1]);
            this.pid = Long.parseLong(f[2]);
        } catch (NumberFormatException e) {
            throw new IOException(name + " sent a malformed READY line: '" + ready + "'", e);
        }
    }

    /**
     * Runs {@code command} and waits for its READY line.
     *
     * @throws IOException naming the server and the command when it does not come up
     */
    public static ChildServer start(String name, List<String> command, Duration startTimeout) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IOException("cannot start " + name + " with " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        try {
            return new ChildServer(name, p, startTimeout);
        } catch (IOException | RuntimeException e) {
            destroy(p);
            throw new IOException(e.getMessage() + "\n  command: " + String.join(" ", command), e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** The server JVM's own pid, as it reported it (taskset and bash exec java, so it is the child's too). */
    public long pid() {
        return pid;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Asks the server for its heap in use after a GC. */
    public long heapBytes(Duration timeout) throws IOException {
        send("heap");
        String reply = awaitLine("HEAP ", timeout);
        try {
            return Long.parseLong(reply.substring("HEAP ".length()).strip());
        } catch (NumberFormatException e) {
            throw new IOException(name + " sent a malformed HEAP line: '" + reply + "'", e);
        }
    }

    private void send(String command) throws IOException {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IOException("cannot send '" + command + "' to " + name + " (pid " + process.pid() + "): " + e.getMessage(), e);
        }
    }

    /** Waits for a line that starts with {@code prefix}; other lines are shown on stderr. */
    public String awaitLine(String prefix, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IOException(name + " (pid " + process.pid() + ") sent no '" + prefix.strip() + "' line within "
                            + timeout.toSeconds() + " s");
                }
                if (line.equals(END_OF_OUTPUT)) {
                    String exit = process.waitFor(5, TimeUnit.SECONDS) ? "exited with status " + process.exitValue() : "closed its output";
                    throw new IOException(name + " (pid " + process.pid() + ") " + exit + " before sending '" + prefix.strip()
                            + "' (its stderr is above)");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                System.err.println("[" + name + "] " + line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + name, e);
        }
    }

    /** Asks the server to quit; kills it if it has not within {@code grace}. */
    public void close(Duration grace) {
        try {
            send("quit");
            commands.close();
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            System.err.println("warning: " + name + " (pid " + process.pid() + ") did not quit within " + grace.toSeconds() + " s: killing it");
        } catch (IOException e) {
            // Already gone, or its input is broken: make sure it is gone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        destroy(process);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private static void destroy(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
