package io.eventlet.hub.poll;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectableChannel;
import java.util.Optional;

/**
 * The int file descriptor behind a JDK channel, read with {@code sun.nio.ch.SelChImpl#getFDVal()}.
 *
 * <p>The method is found at run time rather than compiled against, so this module builds with
 * {@code --release} and loads on any JDK; the JVM must export {@code sun.nio.ch} to the class
 * path ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}), or the lookup fails and the hub
 * reports itself unavailable with a cause that names the flag.
 *
 * <p>Thread-safe: immutable after class initialisation.
 */
final class ChannelFd {
    static final String FLAG = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

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
                    + "sun.nio.ch to " + lookup.lookupClass().getModule() + "; start the JVM with " + FLAG);
            err.initCause(e);
            throw err;
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("this JDK (" + Runtime.version()
                    + ") has no sun.nio.ch.SelChImpl#getFDVal(): cannot read a channel's file descriptor", e);
        }
    }

    /** Empty when {@link #of} works in this JVM; otherwise why not. */
    static Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /**
     * The file descriptor of {@code channel}.
     *
     * @throws IOException when the channel is not a JDK socket or pipe channel, or the descriptor
     *     cannot be read in this JVM
     */
    static int of(SelectableChannel channel) throws IOException {
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
