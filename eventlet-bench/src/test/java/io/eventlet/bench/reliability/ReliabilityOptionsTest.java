package io.eventlet.bench.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reliability harness's command line and its report's rows, without running any attack. */
class ReliabilityOptionsTest {
    @Test
    void defaultsAreTheFullRunOnEveryHub() {
        ReliabilityOptions o = ReliabilityOptions.parse();
        assertEquals(List.of(), o.hubs());
        assertEquals(List.of(Attack.values()), o.attacks());
        assertEquals(ReliabilityOptions.Scale.FULL, o.scale());
        assertEquals(2_000, o.scale().slowConnections());
        assertEquals(Path.of("bench-results", "reliability.md"), o.output());
    }

    @Test
    void quickHubsAndAttacksAreParsedInBothSpellings() {
        ReliabilityOptions o = ReliabilityOptions.parse("--quick", "--hubs", "epoll,Poll", "--attacks=slowloris,fd-exhaustion");
        assertEquals(ReliabilityOptions.Scale.QUICK, o.scale());
        assertEquals(List.of("epoll", "poll"), o.hubs());
        assertEquals(List.of(Attack.SLOWLORIS, Attack.FD_EXHAUSTION), o.attacks());
        assertEquals(Duration.ofSeconds(3), o.scale().legitTarget());
    }

    @Test
    void badArgumentsSayWhat() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReliabilityOptions.parse("--attacks", "flood"))
                .getMessage().contains("unknown attack 'flood'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReliabilityOptions.parse("--hubs"))
                .getMessage().contains("--hubs needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReliabilityOptions.parse("--nope"))
                .getMessage().contains("unknown option --nope"));
    }

    @Test
    void durationsTakeTheUsualSuffixes() {
        assertEquals(Duration.ofMillis(500), ReliabilityOptions.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(5), ReliabilityOptions.parseDuration("5s"));
        assertEquals(Duration.ofMinutes(2), ReliabilityOptions.parseDuration("2m"));
        assertEquals(Duration.ofSeconds(7), ReliabilityOptions.parseDuration("7"));
    }

    @Test
    void aRowShowsUnknownsAsDashesAndNeverAsNever() {
        AttackResult r = new AttackResult("epoll", Attack.SLOWLORIS, 200, 200, 200, 0, Double.NaN, 10, 10, 3001.4, 3002.9,
                12.34, 15.0, -1, 40, 243, 41, -1, "");
        assertEquals("| epoll | slowloris | 200/200 | 200 | 0 | 3001 / 3003 | 10/10 | 12.3 / 15.0 / - | 40 / 243 / 41 | never |  |",
                ReliabilityReport.row(r));
        String md = ReliabilityReport.format(List.of(r), ReliabilityOptions.Scale.QUICK, "headerTimeout=2000ms", Duration.ofSeconds(61));
        assertTrue(md.contains(ReliabilityReport.HEADER + "\n" + ReliabilityReport.ALIGN + "\n| epoll | slowloris"), md);
        assertTrue(md.contains("--quick"), md);
    }
}
