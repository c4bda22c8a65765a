package io.eventlet.examples;

import io.eventlet.Hub;
import io.eventlet.Hub;
import io.eventlet.spi.HubProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the launcher in-process, as {@code ./eventlet} does out of process, and reads the demo's
 * report the way a person would: a row per hub and load, with the connections asked for and
 * figures that hang together; failures are counted and make the run fail.
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

    /** A table row: hub, load, connections, round trips/s, p50, p99, green threads, heap, per connection. */
    private record Row(String hub, String load, long connections, long perSecond, double p50, double p99, long greenThreads, double heapMb) {
    }

    private static final Pattern ROW = Pattern.compile(
            "(?m)^(\\w+)\\s+(\\w+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d.]+) ms\\s+([\\d.]+) ms\\s+([\\d,]+)\\s+([\\d.]+) MB\\s+[\\d.]+ KB$");

    private static List<Row> rows(String out) {
        List<Row> rows = new ArrayList<>();
        Matcher m = ROW.matcher(out);
        while (m.find()) {
            rows.add(new Row(m.group(1), m.group(2), count(m.group(3)), count(m.group(4)), Double.parseDouble(m.group(5)),
                    Double.parseDouble(m.group(6)), count(m.group(7)), Double.parseDouble(m.group(8))));
        }
        return rows;
    }

    private static long count(String s) {
        return Long.parseLong(s.replace(",", ""));
    }

    private static void assertSane(Row r, int connections, String out) {
        assertEquals(connections, r.connections(), out);
        assertTrue(r.perSecond() > 0, out);
        assertTrue(r.p50() <= r.p99(), out);
        assertTrue(r.greenThreads() >= 2L * connections, "a server handler and a client per connection:\n" + out);
        assertTrue(r.heapMb() > 0, out);
    }

    @Test
    void drivesEchoAndHttpOnEveryHubItRunsAndEndsWithTheTable() {
        List<String> hubs = Demo.hubsToRun().stream().map(HubProvider::name).toList();
        Run run = launch("demo", "--connections", "120", "--duration", "300ms", "--progress", "lines");
        String out = run.out();
        assertEquals(0, run.exitCode(), () -> out + run.err());

        List<Row> rows = rows(out);
        assertEquals(2 * hubs.size(), rows.size(), out);
        for (int i = 0; i < hubs.size(); i++) {
            assertEquals(List.of(hubs.get(i), "echo"), List.of(rows.get(2 * i).hub(), rows.get(2 * i).load()), out);
            assertEquals(List.of(hubs.get(i), "http"), List.of(rows.get(2 * i + 1).hub(), rows.get(2 * i + 1).load()), out);
        }
        for (Row r : rows) {
            assertSane(r, 120, out);
        }
        assertTrue(out.contains("120/120 connected"), out);
        Matcher summary = Pattern.compile("([\\d,]+) round trips, every answer checked; 0 errors").matcher(out);
        assertTrue(summary.find(), out);
        assertTrue(count(summary.group(1)) > 0, out);
    }

    @Test
    void oneHubWhenOneIsAskedForWithLiveProgress() {
        String before = System.getProperty(Hub.HUB_PROPERTY);
        try {
            Run run = launch("demo", "--hub", "selector", "--connections", "100", "--duration", "200ms", "--progress", "live");
            String out = run.out();
            assertEquals(0, run.exitCode(), () -> out + run.err());
            List<Row> rows = rows(out);
            assertEquals(List.of("selector", "selector"), rows.stream().map(Row::hub).toList(), out);
            rows.forEach(r -> assertSane(r, 100, out));
            assertTrue(out.contains("\r  selector"), "the live line is rewritten in place:\n" + out);
        } finally {
            if (before == null) {
                System.clearProperty(Hub.HUB_PROPERTY);
            } else {
                System.setProperty(Hub.HUB_PROPERTY, before);
            }
        }
    }

    /** The echo load, with every client's third round trip failing. */
    private static final class FailingLoad implements DemoLoad {
        private final DemoLoad.Echo echo = new DemoLoad.Echo();

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public Server start(HubProvider provider) throws IOException {
            return echo.start(provider);
        }

        @Override
        public Session connect(InetSocketAddress server) throws IOException {
            Session s = echo.connect(server);
            return new Session() {
                private int trips;

                @Override
                public void roundTrip() throws IOException {
                    if (++trips == 3) {
                        throw new IOException("injected failure");
                    }
                    s.roundTrip();
                }

                @Override
                public void close() throws IOException {
                    s.close();
                }
            };
        }
    }

    /** A load whose server is closed before any client connects. */
    private static final class RefusedLoad implements DemoLoad {
        @Override
        public String name() {
            return "refused";
        }

        @Override
        public Server start(HubProvider provider) throws IOException {
            Server s = new DemoLoad.Echo().start(provider);
            InetSocketAddress address = s.address();
            Hub hub = s.hub();
            s.close();
            return new Server() {
                @Override
                public InetSocketAddress address() {
                    return address;
                }

                @Override
                public Hub hub() {
                    return hub;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Session connect(InetSocketAddress server) throws IOException {
            return new DemoLoad.Echo().connect(server);
        }
    }

    private static Demo demo(int connections) {
        Demo d = new Demo();
        d.connections = connections;
        d.duration = Duration.ofMillis(200);
        return d;
    }

    @Test
    void failedRoundTripsAreCountedReportedAndFailTheRun() throws Exception {
        StringWriter text = new StringWriter();
        boolean ok = demo(50).run(List.of(Hub.provider("selector")), List.of(new FailingLoad()), new PrintWriter(text), false);
        String out = text.toString();
        assertFalse(ok, out);
        assertTrue(out.contains("flaky: 50 of 50 clients connected, 50 errors; the first: java.io.IOException: injected failure"), out);
    }

    @Test
    void clientsThatCannotConnectAreCountedAndFailTheRun() throws Exception {
        StringWriter text = new StringWriter();
        boolean ok = demo(20).run(List.of(Hub.provider("selector")), List.of(new RefusedLoad()), new PrintWriter(text), false);
        String out = text.toString();
        assertFalse(ok, out);
        assertTrue(out.contains("0 of 20 clients connected, 20 errors"), out);
        assertTrue(out.contains("ConnectException"), out);
    }

    @Test
    void theOpenFileLimitBoundsTheConnections() {
        assertEquals(2000, Demo.connectionsAllowed(2000, 1_048_576, 100));
        assertEquals(384, Demo.connectionsAllowed(2000, 1024, 0), "two descriptors per connection, 256 spare");
        assertEquals(1, Demo.connectionsAllowed(2000, 100, 50), "never fewer than one");
    }

    @Test
    void durationsParseOrFailClearly() {
        Demo.DurationConverter c = new Demo.DurationConverter();
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofMillis(1500), c.convert("1.5s"));
        assertEquals(Duration.ofMinutes(1), c.convert("1m"));
        Run bad = launch("demo", "--duration", "soon");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("'soon' is not a duration like 500ms, 2s or 1m"), bad.err());
        assertEquals(2, launch("demo", "--duration", "0ms").exitCode());
    }

    @Test
    void unknownHubExitsNonZeroListingTheHubsFound() {
        String before = System.getProperty(Hub.HUB_PROPERTY);
        Run run = launch("demo", "--hub", "nosuch");
        assertEquals(Launcher.HUB_UNAVAILABLE, run.exitCode());
        assertTrue(run.err().contains("no hub named 'nosuch'"), run.err());
        assertTrue(run.err().contains("selector"), run.err());
        assertTrue(run.out().isEmpty(), run.out());
        assertEquals(before, System.getProperty(Hub.HUB_PROPERTY), "a rejected hub must not be configured");
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
        assertEquals(2, launch("demo", "--connections", "lots").exitCode());
        assertEquals(2, launch("demo", "--connections", "0").exitCode());
        assertEquals(2, launch("demo", "--progress", "loud").exitCode());
        assertEquals(2, launch().exitCode());
        assertEquals(2, launch("no-such-command").exitCode());
    }
}
