package io.eventlet.hub.epoll;

import io.eventlet.jnr.NativeProbe;
import io.eventlet.spi.ChannelFd;
import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Linux epoll hub: readiness from an edge-triggered epoll instance, called through JNR. The
 * preferred hub where it works (priority 30); select it by name with {@code -Deventlet.hub=epoll}.
 *
 * {@snippet :
 * EpollHubProvider epoll = new EpollHubProvider();
 * epoll.unavailabilityCause().ifPresent(c -> System.err.println("no epoll hub here: " + c));
 * int answer = Hub.run(epoll, () -> 42);           // a hub of this kind on the calling thread
 * }
 *
 * <p>It needs Linux on x86_64 or aarch64, eventlet-jnr and JNR on the class path (this module's
 * dependencies), and the JVM flags {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (to read
 * a channel's file descriptor) and {@code --enable-native-access=ALL-UNNAMED}. Whether it works is
 * probed once per JVM, on the first call to {@link #unavailabilityCause()}, by eventlet-jnr's
 * {@link io.eventlet.jnr.NativeProbe}, which really opens and polls an epoll instance; constructing
 * the provider or asking its name touches no native code.
 *
 * <p>Thread-safe: stateless; the probe's result is computed once by the JVM's class
 * initialisation.
 */
public final class EpollHubProvider implements HubProvider {
    /** Creates the provider; cheap, touches no native code. */
    public EpollHubProvider() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public int priority() {
        return 30;
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
     *     naming the failed system call
     */
    @Override
    public Poller open() throws IOException {
        Optional<Throwable> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IOException("the epoll hub is unavailable: " + cause.get().getMessage(), cause.get());
        }
        return new EpollPoller();
    }

    @Override
    public String toString() {
        return "EpollHubProvider[priority 30]";
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

    /** Why epoll does not work on {@code osName}/{@code osArch} in this JVM, or empty; probed anew. */
    static Optional<Throwable> probe(String osName, String osArch) {
        return nativeProbe().probe(osName, osArch);
    }

    /**
     * Linux, an architecture whose {@code struct epoll_event} layout is known, the
     * {@code sun.nio.ch} export, then a real epoll instance and eventfd, polled once: that proves
     * libc, JNR, jffi's native stub and native access.
     */
    private static NativeProbe nativeProbe() {
        return NativeProbe.linux("epoll", "poll or selector")
                .architecture(EpollEvent::of)
                .requires(ChannelFd::unavailabilityCause)
                .exercise(() -> {
                    try (EpollPoller poller = new EpollPoller()) {
                        poller.poll(0);
                    }
                });
    }
}
