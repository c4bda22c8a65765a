package io.eventlet.hub.poll;

import io.eventlet.jnr.NativeProbe;
import io.eventlet.spi.ChannelFd;
import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The poll(2) hub: readiness from {@code poll}, called through JNR, level-triggered. Second in
 * eventlet's order (priority 20, after epoll); it works on any POSIX system JNR supports, so it is
 * the native hub of macOS and the BSDs. Select it by name with {@code -Deventlet.hub=poll}.
 *
 * {@snippet :
 * PollHubProvider poll = new PollHubProvider();
 * poll.unavailabilityCause().ifPresent(c -> System.err.println("no poll hub here: " + c));
 * int answer = Hub.run(poll, () -> 42);            // a hub of this kind on the calling thread
 * }
 *
 * <p>It needs eventlet-jnr and JNR on the class path (this module's dependencies) and the JVM
 * flags {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (to read a channel's file
 * descriptor) and {@code --enable-native-access=ALL-UNNAMED}. Whether it works is probed once per
 * JVM, on the first call to {@link #unavailabilityCause()}, by eventlet-jnr's
 * {@link io.eventlet.jnr.NativeProbe}, which really polls a wake-up pipe; constructing the
 * provider or asking its name touches no native code.
 *
 * <p>Each poll costs time in proportion to the number of registered channels, so for thousands
 * of connections prefer epoll where there is one.
 *
 * <p>Thread-safe: stateless; the probe's result is computed once by the JVM's class
 * initialisation.
 */
public final class PollHubProvider implements HubProvider {
    /** Creates the provider; cheap, touches no native code. */
    public PollHubProvider() {
    }

    @Override
    public String name() {
        return "poll";
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Probe.CAUSE;
    }

    /**
     * The flags this hub needs that this JVM lacks: the {@code sun.nio.ch} export (to read a
     * channel's descriptor), then JNR's (see {@link NativeProbe#missingJvmFlags()}), which are
     * left out when eventlet-jnr is missing or this is not the hub's system:
     * {@link #unavailabilityCause()} reports that instead.
     */
    @Override
    public List<String> missingJvmFlags() {
        List<String> missing = new ArrayList<>();
        try {
            if (!nativeProbe().fitsThisSystem()) {
                return List.of();   // unavailable here whatever the flags
            }
            ChannelFd.missingFlag().ifPresent(missing::add);
            missing.addAll(NativeProbe.missingJvmFlags());
        } catch (LinkageError e) {
            return List.of();   // no eventlet-jnr (or no JNR): not a flag, a missing jar
        }
        return missing;
    }

    /**
     * Opens a poller for one hub.
     *
     * @throws IOException carrying the unavailability cause when this hub does not work here, or
     *     naming the failed call
     */
    @Override
    public Poller open() throws IOException {
        Optional<Throwable> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IOException("the poll hub is unavailable: " + cause.get().getMessage(), cause.get());
        }
        return new PollPoller();
    }

    @Override
    public String toString() {
        return "PollHubProvider[priority 20]";
    }

    /**
     * Holds the probe's result: the JVM runs it once, when it is first asked for. Until then the
     * provider needs neither eventlet-jnr nor JNR, and a missing eventlet-jnr is a cause like a
     * missing JNR.
     */
    private static final class Probe {
        static final Optional<Throwable> CAUSE;

        static {
            Optional<Throwable> cause;
            try {
                cause = nativeProbe().unavailabilityCause();
            } catch (LinkageError e) {
                cause = Optional.of(e);
            }
            CAUSE = cause;
        }
    }

    /** Why poll does not work on {@code osName} in this JVM, or empty; probed anew. */
    static Optional<Throwable> probe(String osName) {
        return nativeProbe().probe(osName, System.getProperty("os.arch", "?"));
    }

    /**
     * A POSIX system (Windows has no libc {@code poll()}, and WSAPoll takes sockets only, not the
     * JDK's pipes), the {@code sun.nio.ch} export, then a real poll() on the wake-up pipe: that
     * proves libc, JNR, jffi's native stub and native access.
     */
    private static NativeProbe nativeProbe() {
        return NativeProbe.posix("poll", "selector")
                .requires(ChannelFd::unavailabilityCause)
                .exercise(() -> {
                    try (PollPoller poller = new PollPoller()) {
                        poller.poll(0);
                    }
                });
    }
}
