package io.eventlet.bench.reliability;

import io.eventlet.bench.ChildServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link ReliabilityServer} in its own JVM under {@code ulimit -n LIMIT}, pinned with
 * {@code taskset}, driven through its standard input and output by a {@link ChildServer}.
 *
 * <p>Threading: one thread uses it; a daemon thread pumps the server's output.
 */
final class ServerChild implements AutoCloseable {
    private final ChildServer child;
    final int port;
    final long pid;
    final String limits;

    private ServerChild(ChildServer child, String limits) {
        this.child = child;
        this.port = child.port();
        this.pid = child.pid();
        this.limits = limits;
    }

    /** Starts the server on {@code hub} with at most {@code fdLimit} open files and {@code serverArgs}. */
    static ServerChild start(String hub, String cpu, int fdLimit, Path java, String classPath, List<String> serverArgs) throws IOException {
        List<String> javaCmd = new ArrayList<>(List.of("taskset", "-c", cpu, java.toString()));
        javaCmd.addAll(ChildServer.JVM_FLAGS);
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
        ChildServer child = ChildServer.start("reliability server on " + hub, full, Duration.ofSeconds(60));
        try {
            return new ServerChild(child, child.awaitLine("LIMITS ", Duration.ofSeconds(10)).substring("LIMITS ".length()));
        } catch (IOException | RuntimeException e) {
            child.close(Duration.ZERO);
            throw e;
        }
    }

    /** Heap in use after a GC, in bytes. */
    long heapBytes() throws IOException {
        return child.heapBytes(Duration.ofSeconds(30));
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
        return child.alive();
    }

    @Override
    public void close() {
        child.close(Duration.ofSeconds(5));
    }
}
