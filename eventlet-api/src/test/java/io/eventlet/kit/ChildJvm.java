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
    /** The flags every eventlet program needs (ARCHITECTURE.md §5). */
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
     * Runs {@code mainClass} with {@link #EVENTLET_FLAGS}, then {@code flags}, and waits for it.
     *
     * @throws AssertionError when it does not end within {@code timeout} (it is killed)
     */
    public static Result run(List<String> flags, Class<?> mainClass, Duration timeout, String... args) {
        Path out = null;
        try {
            out = Files.createTempFile("eventlet-child-", ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(coverageAgent());
            command.addAll(EVENTLET_FLAGS);
            command.addAll(flags);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass.getName());
            command.addAll(List.of(args));
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
