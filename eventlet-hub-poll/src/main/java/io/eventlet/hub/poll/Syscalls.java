package io.eventlet.hub.poll;

import java.io.IOException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The POSIX calls the poll hub makes, bound through JNR, each behind one checked wrapper that
 * turns a -1 return into an {@link IOException} naming the call, its file descriptors and errno.
 * Loading this class loads libc through JNR: only the availability probe and the poller touch
 * it, so the provider class loads without JNR.
 *
 * <p>Thread-safe: the bound functions are plain system calls; errno is saved per thread by JNR.
 */
final class Syscalls {
    /** The same value on Linux, the BSDs and macOS. */
    static final int EINTR = 4;

    /** The libc functions. Public only because JNR implements it in a class loader of its own. */
    public interface LibC {
        /**
         * {@code nfds_t} is {@code unsigned long} on Linux, which {@code size_t} matches on every
         * ABI; macOS's {@code unsigned int} takes the low half of the same register.
         */
        @SaveError
        int poll(Pointer fds, @size_t long nfds, int timeout);

        @SaveError
        @ssize_t
        long write(int fd, Pointer buf, @size_t long count);

        String strerror(int errnum);
    }

    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

    private Syscalls() {
    }

    /** A native buffer of {@code bytes}, zeroed, freed when the returned pointer is collected. */
    static Pointer allocate(int bytes) {
        return jnr.ffi.Memory.allocateDirect(RUNTIME, bytes, true);
    }

    /** The number of ready entries, or 0 when a signal interrupted the wait (the hub just loops). */
    static int poll(Pointer fds, int nfds, int timeoutMillis) throws IOException {
        int n = LIBC.poll(fds, nfds, timeoutMillis);
        if (n < 0) {
            int errno = RUNTIME.getLastError();
            if (errno == EINTR) {
                return 0;
            }
            throw failure("poll(" + nfds + " fds, timeout " + timeoutMillis + " ms)", errno);
        }
        return n;
    }

    static long write(int fd, Pointer buf, long count) throws IOException {
        long n = LIBC.write(fd, buf, count);
        if (n < 0) {
            throw failure("write(fd " + fd + ", " + count + " bytes)", RUNTIME.getLastError());
        }
        return n;
    }

    private static IOException failure(String call, int errno) {
        return new IOException(call + " failed with errno " + errno + ": " + LIBC.strerror(errno));
    }
}
