package io.eventlet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlet.internal.HubSelection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the launcher in-process, as {@code ./eventlet} does out of process, and reads its report
 * the way a person would: every phase is there and its counts are the ones asked for.
 */
class DemoIntegrationTest {
    private record Run(int exitCode, String out, String err) {
    }

    private static Run launch(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Launcher.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), () -> "no match for /" + regex + "/ in:\n" + text);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static double decimal(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), () -> "no match for /" + regex + "/ in:\n" + text);
        return Double.parseDouble(m.group(1).replace(",", ""));
    }

    @Test
    void demoReportsEveryPhaseWithTheCountsAskedFor() {
        Run run = launch("demo", "--threads", "2000", "--pairs", "200", "--rounds", "5");
        String out = run.out();
        assertEquals(0, run.exitCode(), () -> out + run.err());

        assertTrue(out.contains("phase 1:") && out.contains("phase 2:") && out.contains("phase 3:"), out);
        assertEquals(2_000, number(out, "spawned ([\\d,]+) green threads"));
        assertTrue(number(out, "\\(([\\d,]+) spawns/s\\)") > 0, out);
        assertTrue(number(out, "peak live green threads: ([\\d,]+)") >= 2_000, out);
        assertEquals(2_000, number(out, "woke ([\\d,]+) sleepers"));
        assertEquals(2_000, number(out, "hub timers fired ([\\d,]+)"));
        double p50 = decimal(out, "lateness p50 ([\\d.,]+) ms");
        double max = decimal(out, "max ([\\d.,]+) ms;");
        assertTrue(p50 >= 0 && p50 <= max, out);

        Matcher pingPong = Pattern.compile("([\\d,]+) exchanges \\(([\\d,]+) messages\\), ([\\d,]+) verified, in [\\d.]+ s: ([\\d,]+) exchanges/s")
                .matcher(out);
        for (int phase = 2; phase <= 3; phase++) {
            assertTrue(pingPong.find(), "phase " + phase + " ping-pong line missing:\n" + out);
            assertEquals(1_000, Long.parseLong(pingPong.group(1).replace(",", "")));
            assertEquals(2_000, Long.parseLong(pingPong.group(2).replace(",", "")));
            assertEquals(1_000, Long.parseLong(pingPong.group(3).replace(",", "")));
            assertTrue(Long.parseLong(pingPong.group(4).replace(",", "")) > 0, out);
        }
        assertTrue(decimal(out, "green / JDK virtual threads: ([\\d.]+)x") > 0, out);
        Matcher hub = Pattern.compile("eventlet demo on hub '(\\w+)'").matcher(out);
        assertTrue(hub.find(), out);
        assertTrue(out.contains("hub                                " + hub.group(1)), out);
        assertTrue(out.contains("total wall time"), out);
    }

    @Test
    void unknownHubExitsNonZeroListingTheHubsFound() {
        String before = System.getProperty(HubSelection.PROPERTY);
        Run run = launch("demo", "--hub", "nosuch");
        assertEquals(Launcher.HUB_UNAVAILABLE, run.exitCode());
        assertTrue(run.err().contains("no hub named 'nosuch'"), run.err());
        assertTrue(run.err().contains("selector"), run.err());
        assertTrue(run.out().isEmpty(), run.out());
        assertEquals(before, System.getProperty(HubSelection.PROPERTY), "a rejected hub must not be configured");
    }

    @Test
    void unknownHubIsRejectedBeforeTheSubcommandToo() {
        Run run = launch("--hub", "nosuch", "check-hub", "selector");
        assertEquals(Launcher.HUB_UNAVAILABLE, run.exitCode());
        assertTrue(run.err().contains("no hub named 'nosuch'"), run.err());
    }

    @Test
    void checkHubPrintsTheHubItResolvesTo() {
        Run ok = launch("check-hub", "SELECTOR");
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals("selector", ok.out().strip());

        Run bad = launch("check-hub", "nosuch");
        assertEquals(Launcher.HUB_UNAVAILABLE, bad.exitCode());
        assertTrue(bad.err().contains("selector (priority"), bad.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, launch("demo", "--threads", "lots").exitCode());
        assertEquals(2, launch("demo", "--pairs", "0").exitCode());
        assertEquals(2, launch().exitCode());
        assertEquals(2, launch("no-such-command").exitCode());
    }
}
