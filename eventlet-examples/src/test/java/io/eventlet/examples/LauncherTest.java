package io.eventlet.examples;

import io.eventlet.Hub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's command line in-process, as {@code ./eventlet} runs it: -V/--version on every command. */
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
}
