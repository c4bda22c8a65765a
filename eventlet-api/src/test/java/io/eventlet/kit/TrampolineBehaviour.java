package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Interest;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.SocketTimeoutException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Eventlet#trampoline}, eventlet's one suspend path for I/O, over a {@link Pipe}. Written
 * once: one behaviour of the conformance kit, a test interface that {@link HubConformance}
 * implements. The hub's poller is wrapped so the tests can see its registration count
 * (a leak check, {@link TrampolinePipe#registrations()}).
 */
public interface TrampolineBehaviour extends HubCases {
    /**
     * A case of this behaviour: bounded on a thread of its own (on the method: see {@link HubCases}),
     * on a pipe of its own ({@link TrampolinePipe}).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @interface TrampolineCase {}

    /** Runs {@code body} as the main green thread of a new hub, on a new pipe closed afterwards. */
    private <T> T run(TrampolinePipe.Body<T> body) throws IOException {
        return TrampolinePipe.run(provider(), body);
    }

    @TrampolineCase
    default void readerWakesWhenAnotherGreenThreadWrites() throws IOException {
        run(pipe -> {
            GreenThread<Byte> reader = pipe.spawnReader();
            Eventlet.sleep();
            assertFalse(reader.isDone(), "the reader should be waiting for data");
            assertEquals(1, pipe.registrations());
            GreenThread<Void> writer = Eventlet.spawn(() -> {
                pipe.write((byte) 7);
                return null;
            });
            assertEquals((byte) 7, reader.join());
            writer.join();
            assertEquals(0, pipe.registrations(), "the wait's registration leaked");
            return null;
        });
    }

    @TrampolineCase
    default void readyChannelReturnsWithoutWaitingForever() throws IOException {
        run(pipe -> {
            pipe.write((byte) 1);
            Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(10));
            assertEquals((byte) 1, pipe.readOne());
            Eventlet.trampoline(pipe.sink(), Interest.WRITE, Duration.ofSeconds(10));
            assertEquals(0, pipe.registrations());
            return null;
        });
    }

    @TrampolineCase
    default void timeoutThrowsSocketTimeoutException() throws IOException {
        run(pipe -> {
            long start = System.nanoTime();
            var e = assertThrows(SocketTimeoutException.class,
                    () -> Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofMillis(20)));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(20).toNanos(), "timed out early");
            assertTrue(e.getMessage().contains(pipe.source().toString()), e.getMessage());
            assertEquals(0, pipe.registrations(), "the timed-out wait's registration leaked");
            // The channel can be waited on again.
            pipe.write((byte) 3);
            Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(10));
            assertEquals((byte) 3, pipe.readOne());
            return null;
        });
    }

    @TrampolineCase
    default void secondSimultaneousReaderIsRefusedNamingTheChannel() throws IOException {
        run(pipe -> {
            GreenThread<Byte> first = pipe.spawnReader();
            Eventlet.sleep();
            assertFalse(first.isDone());
            var e = assertThrows(IllegalStateException.class,
                    () -> Eventlet.trampoline(pipe.source(), Interest.READ, null));
            assertTrue(e.getMessage().contains(pipe.source().toString()), e.getMessage());
            assertFalse(first.isDone(), "the refusal must not disturb the first reader");
            assertEquals(1, pipe.registrations());
            pipe.write((byte) 9);
            assertEquals((byte) 9, first.join());
            assertEquals(0, pipe.registrations());
            return null;
        });
    }

    @TrampolineCase
    default void greenTimeoutEndsTheWaitAndReleasesItsRegistration() throws IOException {
        run(pipe -> {
            io.eventlet.Timeout t = io.eventlet.Timeout.start(Duration.ofMillis(10));
            var caught = assertThrows(io.eventlet.Timeout.class, () -> Eventlet.trampoline(pipe.source(), Interest.READ, null));
            assertSame(t, caught);
            assertEquals(0, pipe.registrations(), "the wait's registration leaked");
            // The channel is still usable after catching the timeout.
            pipe.write((byte) 4);
            Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(10));
            assertEquals((byte) 4, pipe.readOne());
            return null;
        });
    }

    @TrampolineCase
    default void blockingModeChannelIsRefused() throws IOException {
        run(pipe -> {
            pipe.source().configureBlocking(true);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("blocking"), e.getMessage());
            assertEquals(0, pipe.registrations());
            return null;
        });
    }

    @TrampolineCase
    default void trampolineFromAPlainThreadIsAnError() throws IOException {
        try (TrampolinePipe pipe = TrampolinePipe.open()) {
            assertThrows(IllegalStateException.class,
                    () -> Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(1)));
        }
    }

    @TrampolineCase
    default void killedWaiterReleasesItsRegistration() throws IOException {
        run(pipe -> {
            GreenThread<Byte> reader = pipe.spawnReader();
            Eventlet.sleep();
            assertEquals(1, pipe.registrations());
            reader.kill();
            assertTrue(reader.isDone());
            assertEquals(0, pipe.registrations(), "the killed wait's registration leaked");
            return null;
        });
    }

    @TrampolineCase
    default void notifyCloseWakesTheWaiterAtOnce() throws IOException {
        run(pipe -> {
            GreenThread<Byte> reader = pipe.spawnReader();
            Eventlet.sleep();
            assertFalse(reader.isDone(), "the reader should be waiting for data");
            Eventlet.notifyClose(pipe.source());
            Throwable e = assertThrows(java.util.concurrent.CompletionException.class, reader::join).getCause();
            assertInstanceOf(java.nio.channels.AsynchronousCloseException.class, e);
            assertTrue(e.getMessage().contains(pipe.source().toString()), e.getMessage());
            assertEquals(0, pipe.registrations(), "the woken wait's registration leaked");
            // A channel that stays open can be waited on again.
            pipe.write((byte) 5);
            Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(10));
            assertEquals((byte) 5, pipe.readOne());
            return null;
        });
    }

    @TrampolineCase
    default void notifyCloseFromAPlainThreadWakesTheGreenWaiter() throws IOException {
        run(pipe -> {
            GreenThread<Byte> reader = pipe.spawnReader();
            Eventlet.sleep();
            assertFalse(reader.isDone(), "the reader should be waiting for data");
            Thread closer = Thread.ofPlatform().start(() -> {
                Eventlet.notifyClose(pipe.source());
                try {
                    pipe.source().close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertInstanceOf(java.nio.channels.AsynchronousCloseException.class,
                    assertThrows(java.util.concurrent.CompletionException.class, reader::join).getCause());
            assertEquals(0, pipe.registrations(), "the woken wait's registration leaked");
            while (closer.isAlive()) {
                Eventlet.sleep();   // joining would block the hub
            }
            return null;
        });
    }

    @TrampolineCase
    default void manyWaitsInTurnLeaveNoRegistration() throws IOException {
        run(pipe -> {
            for (int i = 0; i < 50; i++) {
                GreenThread<Byte> reader = pipe.spawnReader();
                Eventlet.sleep();
                pipe.write((byte) i);
                assertEquals((byte) i, reader.join());
                SelectableChannel ch = pipe.source();
                assertThrows(SocketTimeoutException.class, () -> Eventlet.trampoline(ch, Interest.READ, Duration.ZERO));
            }
            assertEquals(0, pipe.registrations());
            return null;
        });
    }
}
