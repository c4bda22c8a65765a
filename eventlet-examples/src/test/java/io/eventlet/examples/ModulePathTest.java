package io.eventlet.examples;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's program in a module of its own, {@code requires io.eventlet}, run by a child JVM on the
 * module path with the library's jars (or class directories) and JNR's: the command line the
 * README gives works on every hub, and a JVM without the flags gets one message naming every
 * missing one, spelled for the module path, and on the class path for the class path.
 */
@Timeout(120)
class ModulePathTest {
    /** The README's module-path flags ("JVM flags a library user must pass"). */
    static final List<String> MODULE_PATH_FLAGS = List.of(
            "--add-opens", "java.base/java.lang=io.eventlet",
            "--add-exports", "java.base/sun.nio.ch=io.eventlet",
            "--enable-native-access=org.jnrproject.jffi",
            "--add-modules", "org.objectweb.asm");

    private static final String MODULE_INFO = """
            module demo.app {
                requires io.eventlet;
            }
            """;

    /** One echo round trip between two green threads on the hub named by args[0]. */
    private static final String MAIN = """
            package demo;

            import io.eventlet.Eventlet;
            import io.eventlet.Hub;
            import io.eventlet.GreenThread;
            import io.eventlet.net.GreenServerSocket;
            import io.eventlet.net.GreenSocket;
            import java.net.InetAddress;
            import java.net.InetSocketAddress;
            import java.nio.charset.StandardCharsets;

            public class Main {
                public static void main(String[] args) throws Exception {
                    String reply = Hub.run(args[0].equals("auto") ? Hub.provider() : Hub.provider(args[0]), () -> {
                        try (GreenServerSocket server = Eventlet.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                            GreenThread<Void> echo = Eventlet.spawn(() -> {
                                try (GreenSocket c = server.accept()) {
                                    byte[] b = new byte[5];
                                    c.readFully(b);
                                    c.writeAll(b);
                                }
                                return null;
                            });
                            try (GreenSocket s = Eventlet.connect(server.localAddress())) {
                                s.writeAll("hello".getBytes(StandardCharsets.US_ASCII));
                                byte[] b = new byte[5];
                                s.readFully(b);
                                echo.join();
                                return new String(b, StandardCharsets.US_ASCII);
                            }
                        }
                    });
                    System.out.println("echoed " + reply + " on " + Hub.current() + " hub " + args[0]
                            + " from module " + Main.class.getModule().getName() + " with " + Hub.class.getModule().getName());
                }
            }
            """;

    @TempDir
    static Path work;
    private static String libraries;
    private static Path app;

    @BeforeAll
    static void compileTheApplication() throws IOException {
        libraries = libraryPath();
        Path src = work.resolve("src");
        Files.createDirectories(src.resolve("demo"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("demo/Main.java"), MAIN);
        app = work.resolve("app");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", app.toString(), "--module-path", libraries,
                src.resolve("module-info.java").toString(), src.resolve("demo/Main.java").toString());
        assertEquals(0, rc, "the application did not compile against the library modules");
    }

    /**
     * The library's modules and their dependencies from this test's class path: eventlet-api,
     * the three hubs, eventlet-jnr (built jars or class directories), JNR, ASM and SLF4J. Nothing
     * of JUnit's or Surefire's: they are no part of a user's program.
     */
    private static String libraryPath() {
        Pattern ours = Pattern.compile(".*[/\\\\]eventlet-(api|jnr|hub-selector|hub-epoll|hub-poll)[/\\\\]target[/\\\\](classes|[^/\\\\]*\\.jar)$");
        Pattern theirs = Pattern.compile(".*[/\\\\](com[/\\\\]github[/\\\\]jnr|org[/\\\\]ow2[/\\\\]asm|org[/\\\\]slf4j)[/\\\\].*\\.jar$");
        List<String> path = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if ((ours.matcher(e).matches() && !e.endsWith("-tests.jar")) || theirs.matcher(e).matches()) {
                path.add(e);
            }
        }
        assertEquals(5, path.stream().filter(e -> ours.matcher(e).matches()).count(), "the library's five modules on " + path);
        return String.join(File.pathSeparator, path);
    }

    private record Run(int exitCode, String output) {
    }

    private static Run java(List<String> flags, String... tail) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(Arrays.asList(tail));
        Path out = Files.createTempFile(work, "child-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the child did not end within 60 s: " + command + "\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static Run onModulePath(List<String> flags, String hub) throws Exception {
        return java(flags, "--module-path", libraries + File.pathSeparator + app, "-m", "demo.app/demo.Main", hub);
    }

    private static Run onClassPath(List<String> flags, String hub) throws Exception {
        return java(flags, "-cp", libraries + File.pathSeparator + app, "demo.Main", hub);
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aProgramOnTheModulePathRunsOnEveryHubWithTheReadmesFlags(String hub) throws Exception {
        Run r = onModulePath(MODULE_PATH_FLAGS, hub);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("echoed hello on Hub[") && r.output().contains("hub " + hub + " from module demo.app with io.eventlet"), r.output());
        assertFalse(r.output().contains("WARNING"), "the JVM warned:\n" + r.output());
    }

    @Test
    void withoutFlagsOnTheModulePathOneMessageNamesEveryFlagForItsModule() throws Exception {
        Run r = onModulePath(List.of(), "epoll");
        assertNotEquals(0, r.exitCode(), r.output());
        String message = r.output().lines().filter(l -> l.contains("eventlet cannot start a 'epoll' hub")).findFirst()
                .orElseThrow(() -> new AssertionError("no flags message:\n" + r.output()));
        assertTrue(message.contains("lacks 4 flags"), message);
        String flags = String.join(" ", MODULE_PATH_FLAGS);
        assertTrue(r.output().contains("\n  " + flags + "\n"), "the command line to add is not given whole:\n" + r.output());
        assertTrue(r.output().contains("spelled for the module path"), r.output());
    }

    @Test
    void withoutFlagsOnTheClassPathOneMessageNamesEveryFlag() throws Exception {
        Run r = onClassPath(List.of(), "epoll");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("eventlet cannot start a 'epoll' hub: this JVM lacks 3 flags"), r.output());
        assertTrue(r.output().contains("\n  --add-opens java.base/java.lang=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED"
                + " --enable-native-access=ALL-UNNAMED\n"), r.output());
    }

    @Test
    void theSelectorHubAsksOnlyForTheFlagItNeeds() throws Exception {
        Run r = onClassPath(List.of(), "selector");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("eventlet cannot start a 'selector' hub: this JVM lacks a flag"), r.output());
        assertTrue(r.output().contains("\n  --add-opens java.base/java.lang=ALL-UNNAMED\n"), r.output());
    }

    @Test
    void withoutAHubNamedTheFlagsOfTheBestHubAreAskedForNotASilentlySlowerHub() throws Exception {
        Run r = onClassPath(List.of(), "auto");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("eventlet cannot start a 'epoll' hub: this JVM lacks 3 flags"), r.output());
    }

    @Test
    void withOnlySomeFlagsTheRestAreNamed() throws Exception {
        Run r = onClassPath(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), "poll");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("lacks 2 flags"), r.output());
        assertTrue(r.output().contains("\n  --add-exports java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED\n"), r.output());
    }
}
