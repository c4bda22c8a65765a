package io.eventlet.jnr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NativeProbe} keeps the very Throwable that failed, and probes once per probe, however many threads ask. */
class ProbeRunsOnceAndKeepsItsCauseTest {
    @Test
    void keepsTheExercisesOwnThrowableAsTheCause() {
        IOException failure = new IOException("epoll_create1(EPOLL_CLOEXEC) failed with errno 24 EMFILE: Too many open files");
        NativeProbe probe = NativeProbe.posix("test", "selector").exercise(() -> {
            throw failure;
        });
        assertSame(failure, probe.unavailabilityCause().orElseThrow());
        assertSame(probe.unavailabilityCause(), probe.unavailabilityCause(), "the same answer every time");
        assertTrue(probe.toString().contains("unavailable: java.io.IOException"), probe.toString());
    }

    @Test
    void keepsALinkageErrorSuchAsMissingJnr() {
        NoClassDefFoundError missing = new NoClassDefFoundError("jnr/ffi/LibraryLoader");
        NativeProbe probe = NativeProbe.posix("test", "selector").exercise(() -> {
            throw missing;
        });
        assertSame(missing, probe.unavailabilityCause().orElseThrow());
    }

    @Test
    void anErrorThatIsNotAboutTheHubIsNotACause() {
        NativeProbe probe = NativeProbe.posix("test", "selector").exercise(() -> {
            throw new OutOfMemoryError("test");
        });
        assertThrows(OutOfMemoryError.class, probe::unavailabilityCause);
    }

    @Test
    void runsOnceWhenAskedAgain() {
        AtomicInteger runs = new AtomicInteger();
        NativeProbe probe = NativeProbe.posix("test", "selector").exercise(runs::incrementAndGet);
        assertTrue(probe.toString().endsWith("not probed yet]"), probe.toString());
        assertEquals(Optional.empty(), probe.unavailabilityCause());
        assertEquals(Optional.empty(), probe.unavailabilityCause());
        assertEquals(1, runs.get());
        assertEquals("NativeProbe[test, available]", probe.toString());
    }

    /** The first caller runs the exercise while the others are already asking; they all get its answer. */
    @Test
    void runsOnceHoweverManyThreadsAsk() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IOException failure = new IOException("once");
        NativeProbe probe = NativeProbe.posix("test", "selector").exercise(() -> {
            runs.incrementAndGet();
            running.countDown();
            release.await();
            throw failure;
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<Throwable>>> answers = new ArrayList<>();
            answers.add(pool.submit(probe::unavailabilityCause));
            running.await();
            for (int i = 0; i < 7; i++) {
                answers.add(pool.submit(probe::unavailabilityCause));
            }
            release.countDown();
            for (Future<Optional<Throwable>> answer : answers) {
                assertSame(failure, answer.get().orElseThrow());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, runs.get());
    }

    @Test
    void probingAnotherSystemRunsAgainAndRemembersNothing() {
        AtomicInteger runs = new AtomicInteger();
        NativeProbe probe = NativeProbe.linux("test", "poll or selector").exercise(runs::incrementAndGet);
        assertEquals(Optional.empty(), probe.probe("Linux", "amd64"));
        assertEquals(Optional.empty(), probe.probe("Linux", "amd64"));
        assertEquals(2, runs.get());
        assertTrue(probe.toString().contains("not probed yet"), probe.toString());
        assertEquals("test", probe.hub());
    }
}
