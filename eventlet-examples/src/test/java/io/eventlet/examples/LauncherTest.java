package io.eventlet.examples;

import io.eventlet.Hub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's command line in-process, as {@code ./eventlet} runs it: -V/--version on every
 * command, and bad values (ports, addresses, counts, durations) as usage errors, not stack traces.
 */
@Timeout(30)
class LauncherTest {
    /** The subcommands ./eventlet passes through; each must answer -V. */
    private static final List<String> SUBCOMMANDS =
            List.of("demo", "echo", "forward", "connect", "http", "chat", "crawl", "backdoor", "websocket-chat");

    /** What one run printed and returned. */
    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Launcher.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The build's version, passed by Surefire from ${project.version} (eventlet-examples/pom.xml). */
    private static String buildVersion() {
        String v = System.getProperty("eventlet.test.projectVersion");
        assertNotNull(v, "run through Maven: Surefire passes -Deventlet.test.projectVersion=${project.version}");
        return v;
    }

    private static void assertVersionLine(Run r, String what) {
        assertEquals(0, r.code, what + ": " + r.all());
        String expected = "eventlet-java " + buildVersion() + " (hub " + Hub.provider().name() + ", Java " + System.getProperty("java.version") + ")";
        assertEquals(expected, r.out.strip(), what + " prints one line, the build's version");
        assertEquals("", r.err, what);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-V", "--version"})
    void theTopCommandPrintsTheVersionLine(String flag) {
        assertVersionLine(run(flag), "eventlet " + flag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-V", "--version"})
    void everySubcommandPrintsTheVersionLine(String flag) {
        for (String sub : SUBCOMMANDS) {
            assertVersionLine(run(sub, flag), "eventlet " + sub + " " + flag);
        }
    }

    @Test
    void noSubcommandIsLeftWithoutTheVersion() {
        // A subcommand added later without the shared provider would print an empty line.
        var all = new CommandLine(new Launcher()).getSubcommands();
        assertTrue(all.keySet().containsAll(SUBCOMMANDS), all.keySet().toString());
        for (var e : all.entrySet()) {
            if (e.getValue().getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                continue;   // picocli's `help COMMAND` has no options of its own
            }
            assertVersionLine(run(e.getKey(), "-V"), "eventlet " + e.getKey() + " -V");
        }
    }

    @Test
    void theVersionNamesTheHubAskedFor() {
        String line = run("http", "--hub", "selector", "-V").out.strip();
        assertTrue(line.contains("(hub selector, Java "), line);
        line = run("--hub", "nosuchhub", "-V").out.strip();
        assertTrue(Pattern.matches("eventlet-java \\S+ \\(hub nosuchhub unavailable, Java \\S+\\)", line), line);
    }

    @Test
    void theVersionComesFromTheFilteredResource() {
        assertEquals(buildVersion(), VersionProvider.projectVersion());
    }

    /** A usage error: exit 2, a first line naming the option (or parameter) and the value, no stack trace. */
    private static void assertUsageError(String option, String value, String... args) {
        Run r = run(args);
        String what = String.join(" ", args);
        assertEquals(2, r.code, what + ": " + r.all());
        String first = r.err.lines().findFirst().orElse("");
        assertTrue(first.contains(option) && first.contains("'" + value + "'"), what + ": the first line names " + option + " and '" + value + "': " + r.err);
        assertTrue(r.err.contains("Usage: eventlet " + args[0]), what + ": with the command's usage: " + r.err);
        assertFalse(r.all().contains("Exception") || r.all().contains("\tat "), what + ": no stack trace: " + r.all());
        assertEquals("", r.out, what);
    }

    @Test
    void aListenPortOutOfRangeIsAUsageError() {
        assertUsageError("--port", "99999", "http", "--port", "99999");
        assertUsageError("--port", "-1", "echo", "--port", "-1");
        assertUsageError("--port", "65536", "chat", "--port", "65536");
        assertUsageError("--port", "x", "backdoor", "--port", "x");
        assertUsageError("--port", "80.5", "websocket-chat", "--port", "80.5");
        assertUsageError("--listen", "70000", "forward", "--listen", "70000", "--to", "localhost:1");
    }

    @Test
    void aTargetPortOutOfRangeOrABadHostPortIsAUsageError() {
        assertUsageError("--to", "host:99999", "forward", "--listen", "1", "--to", "host:99999");
        assertUsageError("--to", "host:0", "forward", "--listen", "0", "--to", "host:0");
        assertUsageError("--to", "nohost", "forward", "--listen", "0", "--to", "nohost");
        assertUsageError("HOST:PORT", "nohost", "connect", "nohost");
        assertUsageError("HOST:PORT", ":80", "connect", ":80");
        // After a good address picocli stops taking values at the first it cannot convert: unmatched, still a usage error.
        assertUsageError("Unmatched argument", "x:99999", "connect", "localhost:1", "x:99999");
        assertUsageError("HOST:PORT", "[::1:80", "connect", "[::1:80");
    }

    @Test
    void theOtherBadValuesAreUsageErrorsToo() {
        assertUsageError("--connections", "-5", "demo", "--connections", "-5");
        assertUsageError("--duration", "2d", "demo", "--duration", "2d");
        assertUsageError("--duration", "99999999999999999m", "demo", "--duration", "99999999999999999m");
        assertUsageError("--timeout", "PT-5S", "connect", "localhost:1", "--timeout", "PT-5S");
        assertUsageError("--timeout", "5s", "connect", "localhost:1", "--timeout", "5s");
        assertUsageError("--workers", "-3", "backdoor", "--workers", "-3");
        assertUsageError("--concurrency", "0", "echo", "--concurrency", "0");
        assertUsageError("--max-pages", "0", "crawl", "--max-pages", "0", "http://localhost:1/");
        assertUsageError("--bind", "nosuchhost.invalid", "http", "--bind", "nosuchhost.invalid");
    }

    @Test
    void validValuesStillParse() {
        for (String[] args : new String[][] {
                {"http", "--port", "0", "--help"}, {"echo", "--port", "65535", "--bind", "127.0.0.1", "--help"},
                {"forward", "--listen", "6000", "--to", "[::1]:65535", "--help"}, {"connect", "localhost:1", "--timeout", "PT0.5S", "--help"},
                {"backdoor", "--workers", "0", "--help"}}) {
            Run r = run(args);
            assertEquals(0, r.code, String.join(" ", args) + ": " + r.all());
            assertTrue(r.out.contains("Usage: eventlet " + args[0]), r.out);
        }
        InetSocketAddress v6 = new Arguments.HostPort().convert("[::1]:8080");
        assertEquals("::1", v6.getHostString());
        assertEquals(8080, v6.getPort());
        assertEquals(1, new Arguments.HostPort().convert("example.org:1").getPort());
        assertEquals(0, new Arguments.ListenPort().convert("0"));
        assertThrows(CommandLine.TypeConversionException.class, () -> new Arguments.ListenPort().convert("65536"));
    }

    @Test
    void aPortInUseIsOneLineAndExitOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            for (String[] args : new String[][] {{"echo", "--bind", "127.0.0.1", "--port", port}, {"forward", "--listen", port, "--to", "localhost:1"}}) {
                Run r = run(args);
                String what = String.join(" ", args);
                assertEquals(1, r.code, what + ": " + r.all());
                assertTrue(r.err.startsWith("eventlet " + args[0] + ": cannot listen: ") && r.err.contains(port), what + ": " + r.err);
                assertEquals(1, r.err.strip().lines().count(), what + ": one line: " + r.err);
                assertFalse(r.all().contains("\tat "), what + ": no stack trace: " + r.all());
            }
        }
    }
}
