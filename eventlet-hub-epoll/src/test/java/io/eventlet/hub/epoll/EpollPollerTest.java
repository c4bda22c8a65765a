package io.eventlet.hub.epoll;

import io.eventlet.jnr.ErrnoException;
import io.eventlet.kit.PollerFixture;
import io.eventlet.kit.ReadinessRecorder;
import io.eventlet.spi.ChannelFd;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only the epoll poller does: edge-triggered reporting, the generation check against stale
 * events, errno in its failures. The generic {@link Poller} contract runs in {@code EpollConformanceTest}.
 */
@EnabledOnOs(OS.LINUX)
class EpollPollerTest {
    private PollerFixture fixture;
    private Poller poller;

    @BeforeEach
    void open() throws IOException {
        fixture = new PollerFixture(new EpollHubProvider());
        poller = fixture.poller;
    }

    @AfterEach
    void close() throws IOException {
        fixture.close();
    }

    @Test
    void edgeTriggeredReportsEachNewArrivalOnce() throws IOException {
        Pipe p = fixture.pipe();
        ReadinessRecorder r = new ReadinessRecorder();
        poller.register(p.source(), Poller.READ, r);
        PollerFixture.writeByte(p);
        assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
        // Unread data is not reported again (edge-triggered) ...
        assertEquals(0, poller.poll(0));
        // ... but more data is a new edge.
        PollerFixture.writeByte(p);
        assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
        assertEquals(2, r.calls());
    }

    /** dup(2), to keep a closed channel's open file description alive as a child process would. */
    public interface Dup {
        int dup(int fd);

        int close(int fd);
    }

    @Test
    void staleEventOfAClosedDescriptorIsNotDeliveredToTheChannelThatReusesItsNumber() throws IOException {
        Dup libc = LibraryLoader.create(Dup.class).load("c");
        Pipe old = fixture.pipe();
        int fd = ChannelFd.of(old.source());
        ReadinessRecorder oldRecorder = new ReadinessRecorder();
        poller.register(old.source(), Poller.READ, oldRecorder);
        // A second descriptor for the same pipe keeps the old epoll entry alive after close: epoll
        // drops an entry only when its file goes away, not when one descriptor of it is closed.
        int keepAlive = libc.dup(fd);
        assertTrue(keepAlive >= 0);
        try {
            old.source().close();
            Pipe fresh = fixture.pipeWhoseSourceIs(fd);
            ReadinessRecorder freshRecorder = new ReadinessRecorder();
            poller.register(fresh.source(), Poller.READ, freshRecorder);
            assertEquals(1, poller.registrations(), "the closed channel's registration was dropped");
            PollerFixture.writeByte(old);   // an edge on the old entry, reported with the old registration's data
            assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(50)));
            assertEquals(0, freshRecorder.calls());
            assertEquals(0, oldRecorder.calls());
            // The new channel's own readiness still arrives.
            PollerFixture.writeByte(fresh);
            assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
            assertEquals(Poller.READ, freshRecorder.ops());
        } finally {
            libc.close(keepAlive);
        }
    }

    /** Opens pipes until one's source has descriptor {@code fd} (the kernel hands out the lowest free number). */

    @Test
    void registeringTwiceNamesTheCallTheDescriptorAndErrno() throws IOException {
        Pipe p = fixture.pipe();
        poller.register(p.source(), Poller.READ, new ReadinessRecorder());
        int fd = ChannelFd.of(p.source());
        ErrnoException e = assertThrows(ErrnoException.class, () -> poller.register(p.source(), Poller.READ, new ReadinessRecorder()));
        assertTrue(e.getMessage().contains("epoll_ctl(") && e.getMessage().contains("EPOLL_CTL_ADD, fd " + fd)
                && e.getMessage().contains("errno 17 EEXIST: File exists"), e.getMessage());
        assertEquals(1, poller.registrations());
    }

    @Test
    void toStringNamesTheEpollDescriptor() {
        assertTrue(poller.toString().contains("epoll fd"), poller.toString());
    }
}
