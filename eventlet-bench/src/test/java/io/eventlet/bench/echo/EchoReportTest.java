package io.eventlet.bench.echo;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EchoReportTest {
    private static final ServerSpec JDK = ServerSpec.parse("jdk");
    private static final ServerSpec SELECTOR = ServerSpec.parse("green:selector");

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, EchoReport.median(new double[] {3, 1, 2}));
        assertEquals(2.5, EchoReport.median(new double[] {4, 1, 3, 2}));
        assertThrows(IllegalArgumentException.class, () -> EchoReport.median(new double[0]));
    }

    @Test
    void ratioIsJdkCpuOverThisRowsCpuForTheSameCell() {
        EchoReport r = new EchoReport(List.of("# test"));
        // 100,000 round trips in 1 s; 8 µs/rt for jdk (80 ticks at 100/s), 4 µs/rt for green.
        r.add(new EchoReport.Case(JDK, 1, 50, 64), new EchoReport.Run(100_000, 1.0, 80, 800_000, 300, 900));
        r.add(new EchoReport.Case(SELECTOR, 1, 50, 64), new EchoReport.Run(100_000, 1.0, 40, 400_000, 250, 800));
        r.add(new EchoReport.Case(SELECTOR, 1, 50, 4096), new EchoReport.Run(10, 1.0, 1, 10_000, 1, 1));
        String md = r.markdown();
        assertTrue(md.contains("| green:selector | 1 | 50 | 64 | 100,000 | 4.00 | 250 | 800 | 2.00× |"), md);
        assertTrue(md.contains("| jdk | 1 | 50 | 64 | 100,000 | 8.00 | 300 | 900 | 1.00× |"), md);
        assertTrue(md.contains("| green:selector | 1 | 50 | 4096 | 10 | 1000.00 | 1 | 1 | – |"), "no jdk row, no ratio: " + md);
    }

    @Test
    void heapLinesShowBytesPerConnection() {
        EchoReport r = new EchoReport(List.of("# test"));
        r.add(new EchoReport.Heap(SELECTOR, 1, 1000, 5_000_000, 15_000_000));
        assertTrue(r.markdown().contains("green:selector, hubs 1: **10,000 bytes** per idle connection"), r.markdown());
        assertTrue(r.json().contains("\"bytesPerConnection\": 10000.0"), r.json());
    }

    @Test
    void serverNamesParseOrExplainWhatIsAccepted() {
        assertEquals(new ServerSpec(ServerKind.GREEN, "epoll"), ServerSpec.parse(" Green:EPOLL "));
        assertEquals(new ServerSpec(ServerKind.NETTY_NIO, null), ServerSpec.parse("netty-nio"));
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class, () -> ServerSpec.parse("green"));
        assertTrue(bare.getMessage().contains("green:selector"), bare.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ServerSpec.parse("tomcat"));
        assertTrue(unknown.getMessage().contains("jdk, netty-epoll"), unknown.getMessage());
    }

    @Test
    void durationsInTheUsualShortForms() {
        var c = new EchoLoad.DurationConverter();
        assertEquals(Duration.ofSeconds(10), c.convert("10s"));
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofMillis(1500), c.convert("1.5s"));
        assertEquals(Duration.ofMinutes(2), c.convert("2m"));
        assertEquals(Duration.ofSeconds(3), c.convert("PT3S"));
        assertEquals(Duration.ofSeconds(4), c.convert("4"));
        assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("soon"));
    }
}
