package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.Interest;
import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Eventlet#trampoline}, eventlet's one suspend path for I/O, over a {@link Pipe}. Written
 * once: one layer of the conformance kit, which a hub module runs with a subclass of
 * {@link HubConformance}. The hub's poller is wrapped so the tests can see its registration count
 * (a leak check).
 */
public abstract class TrampolineBehaviour extends TimeoutBehaviour {
    private Pipe pipe;
    private Poller hubPoller;   // the hub's poller, seen through the wrapping provider

    /** A case of this class: bounded on a thread of its own (on the method: see {@link HubCases}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    private @interface TrampolineCase {}

    @BeforeEach
    void openPipe(TestInfo test) throws IOException {
        if (!isCaseOf(TrampolineBehaviour.class, test)) {
            return;
        }
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    @AfterEach
    void closePipe(TestInfo test) throws IOException {
        if (!isCaseOf(TrampolineBehaviour.class, test)) {
            return;
        }
        pipe.source().close();
        pipe.sink().close();
    }

    private <T> T run(Callable<T> main) {
        HubProvider real = provider();
        HubProvider seeing = new HubProvider() {
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
        return Hub.run(seeing, main);
    }

    /** Called on the hub's thread (from one of its green threads), as the Poller contract wants. */
    private int registrations() {
        return hubPoller.registrations();
    }

    private void write(byte b) throws IOException {
        assertEquals(1, pipe.sink().write(ByteBuffer.wrap(new byte[] {b})));
    }

    private byte readOne() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1);
        assertEquals(1, pipe.source().read(buf));
        return buf.get(0);
    }

    private GreenThread<Byte> spawnReader() {
        return Eventlet.spawn(() -> {
            Eventlet.trampoline(pipe.source(), Interest.READ, null);
            return readOne();
        });
    }

    @TrampolineCase
    void readerWakesWhenAnotherGreenThreadWrites() {
        run(() -> {
            GreenThread<Byte> reader = spawnReader();
            Eventlet.sleep();
            assertFalse(reader.isDone(), "the reader should be waiting for data");
            assertEquals(1, registrations());
            GreenThread<Void> writer = Eventlet.spawn(() -> {
                write((byte) 7);
                return null;
            });
            assertEquals((byte) 7, reader.join());
            writer.join();
            assertEquals(0, registrations(), "the wait's registration leaked");
            return null;
        });
    }

    @TrampolineCase
    void readyChannelReturnsWithoutWaitingForever() {
        run(() -> {
            write((byte) 1);
            Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(10));
            assertEquals((byte) 1, readOne());
            Eventlet.trampoline(pipe.sink(), Interest.WRITE, Duration.ofSeconds(10));
            assertEquals(0, registrations());
            return null;
        });
    }

    @TrampolineCase
    void timeoutThrowsSocketTimeoutException() {
        run(() -> {
            long start = System.nanoTime();
            var e = assertThrows(SocketTimeoutException.class,
                    () -> Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofMillis(20)));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(20).toNanos(), "timed out early");
            assertTrue(e.getMessage().contains(pipe.source().toString()), e.getMessage());
            assertEquals(0, registrations(), "the timed-out wait's registration leaked");
            // The channel can be waited on again.
            write((byte) 3);
            Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(10));
            assertEquals((byte) 3, readOne());
            return null;
        });
    }

    @TrampolineCase
    void secondSimultaneousReaderIsRefusedNamingTheChannel() {
        run(() -> {
            GreenThread<Byte> first = spawnReader();
            Eventlet.sleep();
            assertFalse(first.isDone());
            var e = assertThrows(IllegalStateException.class,
                    () -> Eventlet.trampoline(pipe.source(), Interest.READ, null));
            assertTrue(e.getMessage().contains(pipe.source().toString()), e.getMessage());
            assertFalse(first.isDone(), "the refusal must not disturb the first reader");
            assertEquals(1, registrations());
            write((byte) 9);
            assertEquals((byte) 9, first.join());
            assertEquals(0, registrations());
            return null;
        });
    }

    @TrampolineCase
    void greenTimeoutEndsTheWaitAndReleasesItsRegistration() {
        run(() -> {
            io.eventlet.Timeout t = io.eventlet.Timeout.start(Duration.ofMillis(10));
            var caught = assertThrows(io.eventlet.Timeout.class, () -> Eventlet.trampoline(pipe.source(), Interest.READ, null));
            assertSame(t, caught);
            assertEquals(0, registrations(), "the wait's registration leaked");
            // The channel is still usable after catching the timeout.
            write((byte) 4);
            Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(10));
            assertEquals((byte) 4, readOne());
            return null;
        });
    }

    @TrampolineCase
    void blockingModeChannelIsRefused() {
        run(() -> {
            pipe.source().configureBlocking(true);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("blocking"), e.getMessage());
            assertEquals(0, registrations());
            return null;
        });
    }

    @TrampolineCase
    void trampolineFromAPlainThreadIsAnError() {
        assertThrows(IllegalStateException.class,
                () -> Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(1)));
    }

    @TrampolineCase
    void killedWaiterReleasesItsRegistration() {
        run(() -> {
            GreenThread<Byte> reader = spawnReader();
            Eventlet.sleep();
            assertEquals(1, registrations());
            reader.kill();
            assertTrue(reader.isDone());
            assertEquals(0, registrations(), "the killed wait's registration leaked");
            return null;
        });
    }

    @TrampolineCase
    void notifyCloseWakesTheWaiterAtOnce() {
        run(() -> {
            GreenThread<Byte> reader = spawnReader();
            Eventlet.sleep();
            assertFalse(reader.isDone(), "the reader should be waiting for data");
            Eventlet.notifyClose(pipe.source());
            Throwable e = assertThrows(java.util.concurrent.CompletionException.class, reader::join).getCause();
            assertInstanceOf(java.nio.channels.AsynchronousCloseException.class, e);
            assertTrue(e.getMessage().contains(pipe.source().toString()), e.getMessage());
            assertEquals(0, registrations(), "the woken wait's registration leaked");
            // A channel that stays open can be waited on again.
            write((byte) 5);
            Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(10));
            assertEquals((byte) 5, readOne());
            return null;
        });
    }

    @TrampolineCase
    void notifyCloseFromAPlainThreadWakesTheGreenWaiter() {
        run(() -> {
            GreenThread<Byte> reader = spawnReader();
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
            assertEquals(0, registrations(), "the woken wait's registration leaked");
            while (closer.isAlive()) {
                Eventlet.sleep();   // joining would block the hub
            }
            return null;
        });
    }

    @TrampolineCase
    void manyWaitsInTurnLeaveNoRegistration() {
        run(() -> {
            for (int i = 0; i < 50; i++) {
                GreenThread<Byte> reader = spawnReader();
                Eventlet.sleep();
                write((byte) i);
                assertEquals((byte) i, reader.join());
                SelectableChannel ch = pipe.source();
                assertThrows(SocketTimeoutException.class, () -> Eventlet.trampoline(ch, Interest.READ, Duration.ZERO));
            }
            assertEquals(0, registrations());
            return null;
        });
    }
}
