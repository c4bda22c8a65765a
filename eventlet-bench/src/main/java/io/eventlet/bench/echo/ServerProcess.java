package io.eventlet.bench.echo;

import io.eventlet.bench.ChildServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EchoServer} in its own JVM, pinned to a CPU with {@code taskset}, driven through its
 * standard input and output.
 *
 * <p>Threading: used by one thread; a daemon thread of its own pumps the server's output.
 */
final class ServerProcess implements AutoCloseable {
    static final List<String> JVM_FLAGS = ChildServer.JVM_FLAGS;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    private final ChildServer child;

    private ServerProcess(ChildServer child) {
        this.child = child;
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
        return new ServerProcess(ChildServer.start("echo server " + spec.label() + " (hubs " + hubs + ")", cmd, START_TIMEOUT));
    }

    String name() {
        return child.name();
    }

    int port() {
        return child.port();
    }

    /** The server JVM's own pid, as it reported it (taskset execs java, so it is also the child's). */
    long pid() {
        return child.pid();
    }

    /** Asks the server for its heap in use after GC. */
    long heapBytes() throws IOException {
        return child.heapBytes(REPLY_TIMEOUT);
    }

    /** Asks the server to quit; kills it if it has not within 10 s. */
    @Override
    public void close() {
        child.close(Duration.ofSeconds(10));
    }
}
