package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.Interest;
import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What one {@link TrampolineBehaviour} case works on, opened by the case and closed when it ends:
 * a non-blocking pipe, and a hub whose poller the case can see through a wrapping provider, to
 * count its registrations (a leak check).
 */
final class TrampolinePipe implements AutoCloseable {
    /** A case's green body, given the pipe. */
    @FunctionalInterface
    interface Body<T> {
        T run(TrampolinePipe t) throws Exception;
    }

    private final NonBlockingPipe pipe;
    private Poller hubPoller;   // the hub's poller, seen through the wrapping provider

    private TrampolinePipe(NonBlockingPipe pipe) {
        this.pipe = pipe;
    }

    static TrampolinePipe open() throws IOException {
        return new TrampolinePipe(NonBlockingPipe.open());
    }

    /**
     * Runs {@code body} as the main green thread of a new hub of {@code provider}, on a new pipe
     * closed afterwards; returns what the body returns and rethrows its failure.
     */
    static <T> T run(HubProvider provider, Body<T> body) throws IOException {
        try (TrampolinePipe t = open()) {
            return Hub.run(t.seeing(provider), () -> body.run(t));
        }
    }

    private HubProvider seeing(HubProvider real) {
        return new HubProvider() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public int priority() {
                return real.priority();
            }

            @Override
            public Optional<Throwable> unavailabilityCause() {
                return real.unavailabilityCause();
            }

            @Override
            public Poller open() throws IOException {
                hubPoller = real.open();
                return hubPoller;
            }
        };
    }

    Pipe.SourceChannel source() {
        return pipe.source();
    }

    Pipe.SinkChannel sink() {
        return pipe.sink();
    }

    /** The hub's live registrations; called on the hub's thread (from one of its green threads), as the Poller contract wants. */
    int registrations() {
        return hubPoller.registrations();
    }

    void write(byte b) throws IOException {
        assertEquals(1, pipe.sink().write(ByteBuffer.wrap(new byte[] {b})));
    }

    byte readOne() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1);
        assertEquals(1, pipe.source().read(buf));
        return buf.get(0);
    }

    /** A green thread that waits until the source is readable, then reads one byte. */
    GreenThread<Byte> spawnReader() {
        return Eventlet.spawn(() -> {
            Eventlet.trampoline(pipe.source(), Interest.READ, null);
            return readOne();
        });
    }

    @Override
    public void close() throws IOException {
        pipe.close();
    }
}
