package io.eventlet.spi;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectableChannel;
import java.util.Optional;

/**
 * The int file descriptor behind a JDK socket or pipe channel, for hubs whose {@link Poller}
 * calls the operating system directly (epoll, poll, kqueue) instead of going through a
 * {@link java.nio.channels.Selector}.
 *
 * <p>The descriptor is read with {@code sun.nio.ch.SelChImpl#getFDVal()}, found at run time
 * rather than compiled against, so eventlet-api builds with {@code --release} and loads on any
 * JDK. The JVM must export {@code sun.nio.ch} to the class path ({@value #FLAG}); without it
 * {@link #unavailabilityCause()} names the missing flag, and a hub should report itself
 * unavailable with that cause:
 *
 * {@snippet :
 * public Optional<Throwable> unavailabilityCause() {
 *     Optional<Throwable> fd = ChannelFd.unavailabilityCause();   // "... start the JVM with --add-exports ..."
 *     return fd.isPresent() ? fd : probeTheSystemCall();
 * }
 *
 * public Registration register(SelectableChannel channel, int ops, ReadinessListener listener) throws IOException {
 *     int fd = ChannelFd.of(channel);
 *     // ... add fd to the native interest set
 * }
 * }
 *
 * <p>A closed channel still answers with its old number, which the kernel may already have given
 * to a new channel: check {@link SelectableChannel#isOpen()} before asking.
 *
 * <p>Thread-safe: immutable after class initialisation; {@link #of} may be called from any thread.
 */
public final class ChannelFd {
    /**
     * The JVM flag that lets {@link #of} read a channel's descriptor when eventlet-api is on the
     * class path; on the module path it is {@link #requiredFlag()}'s spelling.
     */
    public static final String FLAG = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

    private static final MethodHandle GET_FD_VAL;
    private static final Throwable UNAVAILABLE;

    static {
        MethodHandle handle = null;
        Throwable cause = null;
        try {
            handle = find(MethodHandles.lookup());
        } catch (Throwable t) {
            cause = t;
        }
        GET_FD_VAL = handle;
        UNAVAILABLE = cause;
    }

    private ChannelFd() {
    }

    /**
     * The flag that lets {@link #of} read a channel's descriptor, spelled for where this class was
     * loaded from: {@value #FLAG} on the class path, {@code =io.eventlet} (the module's name) on
     * the module path.
     *
     * @return the whole command-line option
     */
    public static String requiredFlag() {
        Module m = ChannelFd.class.getModule();
        return "--add-exports java.base/sun.nio.ch=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
    }

    /**
     * {@link #requiredFlag()} when this JVM lacks it, so that {@link #of} cannot read descriptors.
     *
     * @return the missing flag, or empty when descriptors can be read (or cannot for another
     *     reason, which {@link #unavailabilityCause()} tells)
     */
    public static Optional<String> missingFlag() {
        return UNAVAILABLE instanceof IllegalAccessError ? Optional.of(requiredFlag()) : Optional.empty();
    }

    /**
     * Finds {@code getFDVal} as seen from {@code lookup}, typed {@code (SelectableChannel)int}.
     *
     * @throws IllegalAccessError naming the missing flag when {@code sun.nio.ch} is not exported
     * @throws UnsupportedOperationException when this JDK has no such method
     */
    static MethodHandle find(MethodHandles.Lookup lookup) {
        Class<?> selChImpl;
        try {
            // Loading a class of an unexported package is allowed; only access is checked.
            selChImpl = Class.forName("sun.nio.ch.SelChImpl", false, null);
            return lookup.findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SelectableChannel.class));
        } catch (IllegalAccessException e) {
            IllegalAccessError err = new IllegalAccessError("cannot read a channel's file descriptor: java.base does not export "
                    + "sun.nio.ch to " + lookup.lookupClass().getModule() + "; start the JVM with " + requiredFlag());
            err.initCause(e);
            throw err;
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("this JDK (" + Runtime.version()
                    + ") has no sun.nio.ch.SelChImpl#getFDVal(): cannot read a channel's file descriptor", e);
        }
    }

    /**
     * Empty when {@link #of} works in this JVM; otherwise why not: an {@link IllegalAccessError}
     * naming {@value #FLAG} when the flag is missing, or an {@link UnsupportedOperationException}
     * when this JDK has no such method.
     */
    public static Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /**
     * The file descriptor of {@code channel}.
     *
     * @throws IOException when the channel is not a JDK socket or pipe channel, or the descriptor
     *     cannot be read in this JVM (its cause is {@link #unavailabilityCause()})
     */
    public static int of(SelectableChannel channel) throws IOException {
        if (GET_FD_VAL == null) {
            throw new IOException("cannot read the file descriptor of " + channel, UNAVAILABLE);
        }
        try {
            return (int) GET_FD_VAL.invokeExact(channel);
        } catch (ClassCastException e) {
            throw new IOException(channel + " (" + channel.getClass().getName()
                    + ") is not a JDK channel backed by a file descriptor; only JDK socket and pipe channels can be registered", e);
        } catch (Throwable t) {
            throw new IOException("cannot read the file descriptor of " + channel, t);
        }
    }
}
