package io.eventlet.jnr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link NativeProbe}'s checks: system, architecture, prerequisites, exercise, and the first that fails is the cause. */
class ProbeChecksInOrderTest {
    @Test
    void aLinuxOnlyHubNamesTheSystemAndWhatToUseInstead() {
        AtomicInteger runs = new AtomicInteger();
        NativeProbe probe = NativeProbe.linux("epoll", "poll or selector").exercise(runs::incrementAndGet);
        Throwable cause = probe.probe("Mac OS X", "aarch64").orElseThrow();
        assertInstanceOf(UnsupportedOperationException.class, cause);
        assertEquals("the epoll hub is Linux-only and this is Mac OS X; use -Deventlet.hub=poll or selector", cause.getMessage());
        assertEquals(0, runs.get(), "nothing native runs on the wrong system");
    }

    @Test
    void aPosixHubRefusesWindowsOnly() {
        AtomicInteger runs = new AtomicInteger();
        NativeProbe probe = NativeProbe.posix("poll", "selector").exercise(runs::incrementAndGet);
        Throwable cause = probe.probe("Windows 11", "amd64").orElseThrow();
        assertEquals("the poll hub needs a POSIX system and this is Windows 11; use -Deventlet.hub=selector", cause.getMessage());
        assertEquals(Optional.empty(), probe.probe("Mac OS X", "aarch64"));
        assertEquals(Optional.empty(), probe.probe("FreeBSD", "amd64"));
        assertEquals(2, runs.get());
    }

    @Test
    void checksRunInOrderAndTheFirstFailureIsTheCause() {
        List<String> ran = new ArrayList<>();
        IllegalAccessError noExport = new IllegalAccessError("start the JVM with --add-exports java.base/sun.nio.ch=ALL-UNNAMED");
        NativeProbe probe = NativeProbe.linux("test", "selector")
                .architecture(arch -> ran.add("architecture " + arch))
                .requires(() -> {
                    ran.add("first prerequisite");
                    return Optional.empty();
                })
                .requires(() -> {
                    ran.add("second prerequisite");
                    return Optional.of(noExport);
                })
                .exercise(() -> ran.add("exercise"));
        assertSame(noExport, probe.probe("Linux", "aarch64").orElseThrow());
        assertEquals(List.of("architecture aarch64", "first prerequisite", "second prerequisite"), ran);
    }

    @Test
    void anUnknownArchitectureIsTheCauseTheCheckThrows() {
        UnsupportedOperationException unknown = new UnsupportedOperationException("the layout of struct epoll_event on os.arch 'riscv64' is not known");
        NativeProbe probe = NativeProbe.linux("epoll", "poll or selector")
                .architecture(arch -> {
                    if (!arch.equals("amd64")) {
                        throw unknown;
                    }
                })
                .exercise(() -> { });
        assertSame(unknown, probe.probe("Linux", "riscv64").orElseThrow());
        assertEquals(Optional.empty(), probe.probe("Linux", "amd64"));
    }

    @Test
    void aPrerequisiteThatThrowsIsACauseToo() {
        NoClassDefFoundError missing = new NoClassDefFoundError("io/eventlet/spi/ChannelFd");
        NativeProbe probe = NativeProbe.posix("test", "selector")
                .requires(() -> {
                    throw missing;
                })
                .exercise(() -> { });
        assertSame(missing, probe.probe("Linux", "amd64").orElseThrow());
    }
}
