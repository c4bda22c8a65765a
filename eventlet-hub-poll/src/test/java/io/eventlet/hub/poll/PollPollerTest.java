package io.eventlet.hub.poll;

import io.eventlet.kit.PollerFixture;
import io.eventlet.kit.ReadinessRecorder;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only the poll(2) poller does: level-triggered re-reporting, the swap-remove of pollfd
 * elements. The generic {@link Poller} contract runs in {@code PollConformanceTest}.
 */
@DisabledOnOs(OS.WINDOWS)
class PollPollerTest {
    private static final long FIVE_SECONDS = TimeUnit.SECONDS.toNanos(5);

    private PollerFixture fixture;
    private Poller poller;

    @BeforeEach
    void open() throws IOException {
        fixture = new PollerFixture(new PollHubProvider());
        poller = fixture.poller;
    }

    @AfterEach
    void close() throws IOException {
        fixture.close();
    }

    @Test
    void readIsReportedAfterAWriteAndAgainUntilRead() throws IOException {
        Pipe p = fixture.pipe();
        ReadinessRecorder r = new ReadinessRecorder();
        Poller.Registration reg = poller.register(p.source(), 0, r);
        PollerFixture.writeByte(p);
        assertEquals(0, poller.poll(0), "no interest, no report");
        reg.interest(Poller.READ);
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(Poller.READ, r.ops());
        // Level-triggered: still readable, so reported again.
        assertEquals(1, poller.poll(0));
        assertEquals(2, r.calls());
        p.source().read(ByteBuffer.allocate(8));
        assertEquals(0, poller.poll(0));
    }

    @Test
    void cancelStopsReportsAndLaterInterestChangesAreIgnored() throws IOException {
        Pipe p = fixture.pipe();
        ReadinessRecorder r = new ReadinessRecorder();
        Poller.Registration reg = poller.register(p.source(), Poller.READ, r);
        reg.cancel();
        reg.cancel();   // idempotent
        reg.interest(Poller.READ);   // ignored once cancelled
        assertEquals(0, poller.registrations());
        PollerFixture.writeByte(p);
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(0, r.calls());
        ReadinessRecorder again = new ReadinessRecorder();
        poller.register(p.source(), Poller.READ, again);
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(Poller.READ, again.ops());
    }

    @Test
    void cancellingMovesTheLastElementIntoTheHole() throws IOException {
        Pipe[] pipes = {fixture.pipe(), fixture.pipe(), fixture.pipe(), fixture.pipe()};
        ReadinessRecorder[] rs = new ReadinessRecorder[pipes.length];
        Poller.Registration[] regs = new Poller.Registration[pipes.length];
        for (int i = 0; i < pipes.length; i++) {
            regs[i] = poller.register(pipes[i].source(), Poller.READ, rs[i] = new ReadinessRecorder());
        }
        regs[1].cancel();   // the last registration moves into element 2 (element 0 is the wake-up pipe)
        assertTrue(regs[3].toString().contains("element 2"), regs[3].toString());
        regs[3].interest(Poller.READ);   // writes the moved element, not its old place
        for (Pipe p : pipes) {
            PollerFixture.writeByte(p);
        }
        assertEquals(3, poller.poll(FIVE_SECONDS));
        assertEquals(List.of(1, 0, 1, 1), List.of(rs[0].calls(), rs[1].calls(), rs[2].calls(), rs[3].calls()));
        regs[3].cancel();   // the last one: nothing moves
        regs[0].cancel();
        assertEquals(1, poller.registrations());
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(2, rs[2].calls());
    }

    @Test
    void toStringCountsTheRegistrations() throws IOException {
        poller.register(fixture.pipe().source(), Poller.READ, new ReadinessRecorder());
        assertTrue(poller.toString().contains("1 registrations"), poller.toString());
    }
}
