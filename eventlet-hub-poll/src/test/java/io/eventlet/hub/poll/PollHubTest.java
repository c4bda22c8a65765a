package io.eventlet.hub.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.Interest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Green threads on a poll hub. */
@DisabledOnOs(OS.WINDOWS)
class PollHubTest {
    @Test
    void trampolineIsWokenByAnotherGreenThreadWriting() throws IOException {
        Pipe pipe = Pipe.open();
        try (var source = pipe.source(); var sink = pipe.sink()) {
            source.configureBlocking(false);
            sink.configureBlocking(false);
            String provider = Hub.run(new PollHubProvider(), () -> {
                GreenThread<Integer> writer = Eventlet.spawn(() -> sink.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
                ByteBuffer buf = ByteBuffer.allocate(8);
                assertEquals(0, source.read(buf), "nothing yet: the writer has not run");
                Eventlet.trampoline(source, Interest.READ, Duration.ofSeconds(5));
                assertEquals(3, source.read(buf));
                assertEquals(3, writer.join());
                return Hub.current().providerName();
            });
            assertEquals("poll", provider);
        }
    }

    @Test
    void trampolineTimeoutRaisesSocketTimeoutException() throws IOException {
        Pipe pipe = Pipe.open();
        try (var source = pipe.source(); var sink = pipe.sink()) {
            source.configureBlocking(false);
            long took = Hub.run(new PollHubProvider(), () -> {
                long start = System.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> Eventlet.trampoline(source, Interest.READ, Duration.ofMillis(30)));
                return System.nanoTime() - start;
            });
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(30), took + " ns");
        }
    }

    @Test
    void manyGreenThreadsPingPongOverPipes() throws IOException {
        int pairs = 50;
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < 2 * pairs; i++) {
            Pipe p = Pipe.open();
            p.source().configureBlocking(false);
            p.sink().configureBlocking(false);
            pipes.add(p);
        }
        try {
            int rounds = Hub.run(new PollHubProvider(), () -> {
                List<GreenThread<Integer>> all = new ArrayList<>();
                for (int i = 0; i < pairs; i++) {
                    Pipe there = pipes.get(2 * i);
                    Pipe back = pipes.get(2 * i + 1);
                    all.add(Eventlet.spawn(() -> pingPong(there.sink(), back.source(), 100, true)));
                    all.add(Eventlet.spawn(() -> pingPong(back.sink(), there.source(), 100, false)));
                }
                int sum = 0;
                for (GreenThread<Integer> g : all) {
                    sum += g.join();
                }
                return sum;
            });
            assertEquals(2 * pairs * 100, rounds);
        } finally {
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    /** Sends one byte and waits for one, {@code rounds} times; the second side answers. */
    private static int pingPong(Pipe.SinkChannel out, Pipe.SourceChannel in, int rounds, boolean first) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int i = 0; i < rounds; i++) {
            if (first) {
                out.write(ByteBuffer.wrap(new byte[] {(byte) i}));
            }
            one.clear();
            while (in.read(one) == 0) {
                Eventlet.trampoline(in, Interest.READ, Duration.ofSeconds(10));
            }
            if (!first) {
                out.write(ByteBuffer.wrap(new byte[] {(byte) i}));
            }
        }
        return rounds;
    }
}
