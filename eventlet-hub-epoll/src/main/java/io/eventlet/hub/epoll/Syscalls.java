package io.eventlet.hub.epoll;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The Linux calls the epoll hub makes, bound through JNR, each behind one checked wrapper that
 * turns a -1 return into an {@link ErrnoException} naming the call, its file descriptors and
 * errno. Loading this class loads libc through JNR: only the availability probe and the poller
 * touch it, so the provider class loads without JNR.
 *
 * <p>Thread-safe: the bound functions are plain system calls; errno is saved per thread by JNR.
 */
final class Syscalls {
    // <sys/epoll.h>, <sys/eventfd.h>, <asm-generic/errno-base.h>. The flag values are those of
    // the generic Linux ABI (x86_64 and aarch64, the only architectures EpollEvent accepts).
    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLL_CLOEXEC = 0x80000;   // O_CLOEXEC
    static final int EFD_CLOEXEC = 0x80000;     // O_CLOEXEC
    static final int EFD_NONBLOCK = 0x800;      // O_NONBLOCK
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;

    /** The libc functions. Public only because JNR implements it in a class loader of its own. */
    public interface LibC {
        @SaveError
        int epoll_create1(int flags);

        @SaveError
        int epoll_ctl(int epfd, int op, int fd, Pointer event);

        @SaveError
        int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);

        @SaveError
        int eventfd(int initval, int flags);

        @SaveError
        @ssize_t
        long read(int fd, Pointer buf, @size_t long count);

        @SaveError
        @ssize_t
        long write(int fd, Pointer buf, @size_t long count);

        @SaveError
        int close(int fd);

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

    static int epollCreate1(int flags) throws ErrnoException {
        int fd = LIBC.epoll_create1(flags);
        if (fd < 0) {
            throw failure("epoll_create1(EPOLL_CLOEXEC)");
        }
        return fd;
    }

    static void epollCtl(int epfd, int op, int fd, Pointer event) throws ErrnoException {
        if (LIBC.epoll_ctl(epfd, op, fd, event) < 0) {
            throw failure("epoll_ctl(epoll fd " + epfd + ", " + (op == EPOLL_CTL_ADD ? "EPOLL_CTL_ADD" : op == EPOLL_CTL_DEL ? "EPOLL_CTL_DEL" : "op " + op)
                    + ", fd " + fd + ")");
        }
    }

    /** The number of events stored, or 0 when a signal interrupted the wait (the hub just loops). */
    static int epollWait(int epfd, Pointer events, int maxEvents, int timeoutMillis) throws ErrnoException {
        int n = LIBC.epoll_wait(epfd, events, maxEvents, timeoutMillis);
        if (n < 0) {
            int errno = RUNTIME.getLastError();
            if (errno == EINTR) {
                return 0;
            }
            throw new ErrnoException("epoll_wait(epoll fd " + epfd + ", timeout " + timeoutMillis + " ms)", errno, LIBC.strerror(errno));
        }
        return n;
    }

    static int eventfd(int initval, int flags) throws ErrnoException {
        int fd = LIBC.eventfd(initval, flags);
        if (fd < 0) {
            throw failure("eventfd(" + initval + ", EFD_NONBLOCK|EFD_CLOEXEC)");
        }
        return fd;
    }

    static long read(int fd, Pointer buf, long count) throws ErrnoException {
        long n = LIBC.read(fd, buf, count);
        if (n < 0) {
            throw failure("read(fd " + fd + ", " + count + " bytes)");
        }
        return n;
    }

    static long write(int fd, Pointer buf, long count) throws ErrnoException {
        long n = LIBC.write(fd, buf, count);
        if (n < 0) {
            throw failure("write(fd " + fd + ", " + count + " bytes)");
        }
        return n;
    }

    static void close(int fd) throws ErrnoException {
        if (LIBC.close(fd) < 0) {
            throw failure("close(fd " + fd + ")");
        }
    }

    /** Reads errno right after the failed call, before anything else can overwrite it. */
    private static ErrnoException failure(String call) {
        int errno = RUNTIME.getLastError();
        return new ErrnoException(call, errno, LIBC.strerror(errno));
    }

    /** " NAME" for the errno values these calls document, else "". */
    static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> " EPERM";
            case ENOENT -> " ENOENT";
            case EINTR -> " EINTR";
            case EBADF -> " EBADF";
            case EAGAIN -> " EAGAIN";
            case 12 -> " ENOMEM";
            case 14 -> " EFAULT";
            case 17 -> " EEXIST";
            case 22 -> " EINVAL";
            case 23 -> " ENFILE";
            case 24 -> " EMFILE";
            case 28 -> " ENOSPC";
            case 38 -> " ENOSYS";
            default -> "";
        };
    }
}
