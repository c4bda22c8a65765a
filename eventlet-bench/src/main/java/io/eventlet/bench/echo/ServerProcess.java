package io.eventlet.bench.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EchoServer} in its own JVM, pinned to a CPU with {@code taskset}, driven through its
 * standard input and output.
 *
 * <p>Threading: used by one thread; a daemon thread of its own pumps the server's output.
 */
final class ServerProcess implements AutoCloseable {
    /** The flags of ARCHITECTURE.md §5, which every JVM running green threads needs. */
    static final List<String> JVM_FLAGS = List.of(
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);
    private static final String END_OF_OUTPUT = "\u0000end";

    private final String name;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private int port;
    private long pid;

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("echo-server-output-" + process.pid()).start(() -> {
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
    }

    /**
     * Starts the server JVM and waits for its READY line.
     *
     * @param cpu the CPU list for {@code taskset -c}
     * @throws IOException naming the server and the command when it does not come up
     */
    static ServerProcess start(ServerSpec spec, int hubs, String cpu, Path java, String classPath) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpu, java.toString()));
        cmd.addAll(JVM_FLAGS);
        cmd.add("-Xmx1g");
        if (spec.kind() == ServerKind.GREEN) {
            cmd.add("-Deventlet.hub=" + spec.hub());
        }
        if (spec.kind() == ServerKind.JDK) {
            cmd.add("-Djdk.virtualThreadScheduler.parallelism=" + hubs);
        }
        cmd.addAll(List.of("-cp", classPath, EchoServer.class.getName(), "--kind", spec.kind().label));
        if (spec.kind() == ServerKind.GREEN) {
            cmd.addAll(List.of("--hub", spec.hub()));
        }
        cmd.addAll(List.of("--hubs", Integer.toString(hubs), "--port", "0"));
        String name = spec.label() + " (hubs " + hubs + ")";
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IOException("cannot start echo server " + name + " with " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
        ServerProcess sp = new ServerProcess(name, p);
        try {
            String ready = sp.awaitLine("READY ", START_TIMEOUT);
            String[] f = ready.split(" ");
            if (f.length != 3) {
                throw new IOException("echo server " + name + " sent a malformed READY line: '" + ready + "'");
            }
            sp.port = Integer.parseInt(f[1]);
            sp.pid = Long.parseLong(f[2]);
        } catch (IOException | RuntimeException e) {
            sp.destroy();
            throw new IOException(e.getMessage() + "\n  command: " + String.join(" ", cmd), e);
        }
        return sp;
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** The server JVM's own pid, as it reported it (taskset execs java, so it is also the child's). */
    long pid() {
        return pid;
    }

    /** Asks the server for its heap in use after GC. */
    long heapBytes() throws IOException {
        send("heap");
        String reply = awaitLine("HEAP ", REPLY_TIMEOUT);
        try {
            return Long.parseLong(reply.substring("HEAP ".length()).strip());
        } catch (NumberFormatException e) {
            throw new IOException("echo server " + name + " sent a malformed HEAP line: '" + reply + "'", e);
        }
    }

    private void send(String command) throws IOException {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IOException("cannot send '" + command + "' to echo server " + name + " (pid " + process.pid() + "): " + e.getMessage(), e);
        }
    }

    /** Waits for a line that starts with {@code prefix}; other lines are shown on stderr. */
    private String awaitLine(String prefix, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IOException("echo server " + name + " (pid " + process.pid() + ") sent no '" + prefix.strip()
                            + "' line within " + timeout.toSeconds() + " s");
                }
                if (line.equals(END_OF_OUTPUT)) {
                    String exit = process.waitFor(5, TimeUnit.SECONDS) ? "exited with status " + process.exitValue() : "closed its output";
                    throw new IOException("echo server " + name + " (pid " + process.pid() + ") " + exit
                            + " before sending '" + prefix.strip() + "' (its stderr is above)");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                System.err.println("[" + name + "] " + line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for echo server " + name, e);
        }
    }

    /** Asks the server to quit; kills it if it has not within 10 s. */
    @Override
    public void close() {
        try {
            send("quit");
            commands.close();
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                return;
            }
            System.err.println("warning: echo server " + name + " (pid " + process.pid() + ") did not quit within 10 s: killing it");
        } catch (IOException e) {
            // Already gone, or its input is broken: make sure it is gone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        destroy();
    }

    private void destroy() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
