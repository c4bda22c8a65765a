package io.eventlet.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM (the one running the tests, with the tests' class path), for
 * behaviour that depends on JVM-wide state: system properties read once, lazily started JDK
 * threads.
 *
 * {@snippet :
 * ChildJvm.Result r = ChildJvm.run(List.of("-Dx=1"), MyChild.class, Duration.ofSeconds(30));
 * assertEquals(0, r.exitCode(), r.output());
 * }
 *
 * <p>Thread-safe: stateless.
 */
public final class ChildJvm {
    /** The flags every eventlet program needs (docs/design.md, founding decision 6). */
    public static final List<String> EVENTLET_FLAGS = List.of(
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");

    private ChildJvm() {
    }

    /**
     * The parent's JaCoCo agent, if the build attached one: the child appends its coverage to the
     * same file (the agent locks it), so code exercised only in children still counts.
     */
    public static List<String> coverageAgent() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-javaagent:") && a.contains("jacoco"))
                .toList();
    }

    /** What the child did: its exit code and its stdout and stderr, interleaved. */
    public record Result(int exitCode, String output) {
        /** The lines of the output that contain {@code text}. */
        public List<String> linesContaining(String text) {
            return output.lines().filter(l -> l.contains(text)).toList();
        }
    }

    /**
     * Starts {@code mainClass} (as {@link #run}) under {@code ulimit -n openFileLimit} and returns
     * at once; the caller reads its output as it comes and ends it. Linux (and bash) only.
     *
     * {@snippet :
     * try (ChildJvm.Running child = ChildJvm.startWithOpenFileLimit(128, List.of(), MyServer.class)) {
     *     String port = child.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(20));
     *     // ... talk to it ...
     *     child.stop(Duration.ofSeconds(10));   // closes its stdin: the child's cue to exit
     * }
     * }
     */
    public static Running startWithOpenFileLimit(int openFileLimit, List<String> flags, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        // bash sets the limit for itself and then becomes the JVM: no quoting of the arguments.
        command.addAll(List.of("bash", "-c", "ulimit -n " + openFileLimit + " && exec \"$0\" \"$@\""));
        command.addAll(javaCommand(flags, mainClass, args));
        try {
            return new Running(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A child JVM that is still running: its output lines as they arrive, its stdin (closing it
     * asks a cooperating child to exit), and {@link #close()}, which kills it if need be.
     *
     * <p>Thread-safe.
     */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>();   // guarded by itself
        private final Thread pump;

        private Running(Process process) {
            this.process = process;
            this.pump = Thread.ofPlatform().daemon().name("child-output-" + process.pid()).start(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the child is gone; what it wrote is kept
                }
                synchronized (lines) {
                    lines.notifyAll();
                }
            });
        }

        /**
         * Waits for the first line of output (from the start) that {@code matches}.
         *
         * @throws AssertionError with the output so far when none comes within {@code timeout},
         *     or the child ends first
         */
        public String awaitLine(java.util.function.Predicate<String> matches, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lines) {
                while (true) {
                    for (String l : lines) {
                        if (matches.test(l)) {
                            return l;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || (!pump.isAlive())) {
                        throw new AssertionError("no such line from the child within " + timeout
                                + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + ":\n" + output());
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                }
            }
        }

        /** The output so far. */
        public String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** The lines so far that contain {@code text}. */
        public List<String> linesContaining(String text) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.contains(text)).toList();
            }
        }

        /** Closes the child's stdin and waits for it to exit; returns its exit code. */
        public int stop(Duration timeout) throws InterruptedException, IOException {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the child did not exit within " + timeout + " of its stdin closing:\n" + output());
            }
            pump.join(timeout.toMillis());
            return process.exitValue();
        }

        /**
         * Sends the child SIGTERM (what Ctrl-C's cousin, a service manager's stop, sends), so its
         * shutdown hooks run, and waits for it to exit; returns its exit code (143 for a JVM
         * that ended on the signal).
         */
        public int terminate(Duration timeout) throws InterruptedException {
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the child did not exit within " + timeout + " of SIGTERM:\n" + output());
            }
            pump.join(timeout.toMillis());
            return process.exitValue();
        }

        /** Kills the child if it still runs. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** This JVM's java with the coverage agent, {@link #EVENTLET_FLAGS}, {@code flags} and this class path, running {@code mainClass}. */
    private static List<String> javaCommand(List<String> flags, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(coverageAgent());
        command.addAll(EVENTLET_FLAGS);
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs {@code mainClass} with {@link #EVENTLET_FLAGS}, then {@code flags}, and waits for it.
     *
     * @throws AssertionError when it does not end within {@code timeout} (it is killed)
     */
    public static Result run(List<String> flags, Class<?> mainClass, Duration timeout, String... args) {
        Path out = null;
        try {
            out = Files.createTempFile("eventlet-child-", ".log");
            List<String> command = javaCommand(flags, mainClass, args);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(mainClass.getName() + " did not end within " + timeout + ":\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + mainClass.getName(), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file; the OS cleans it up
                }
            }
        }
    }
}
