package io.eventlet.hub.poll;

import io.eventlet.jnr.ErrnoException;
import io.eventlet.jnr.Native;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * The one POSIX call only the poll hub makes, bound through JNR behind a checked wrapper
 * (eventlet-jnr's {@link Native#checkInterruptible}) that turns a -1 return into an
 * {@link ErrnoException} naming the call and errno. The wake-up {@code write} is the shared one of
 * {@link Native}. Loading this class loads libc through JNR: only the availability probe and the
 * poller touch it, so the provider class loads without JNR.
 *
 * <p>Thread-safe: the bound function is a plain system call; errno is saved per thread by JNR.
 */
final class Syscalls {
    /** The poll hub's own function. Public only because JNR implements it in a class loader of its own. */
    public interface PollFunctions {
        /**
         * {@code nfds_t} is {@code unsigned long} on Linux, which {@code size_t} matches on every
         * ABI; macOS's {@code unsigned int} takes the low half of the same register.
         */
        @SaveError
        int poll(Pointer fds, @size_t long nfds, int timeout);
    }

    static final PollFunctions POLL = Native.load(PollFunctions.class);

    private Syscalls() {
    }

    /** The number of ready entries, or 0 when a signal interrupted the wait (the hub just loops). */
    static int poll(Pointer fds, int nfds, int timeoutMillis) throws ErrnoException {
        return Native.checkInterruptible(POLL.poll(fds, nfds, timeoutMillis), () -> "poll(" + nfds + " fds, timeout " + timeoutMillis + " ms)");
    }
}
