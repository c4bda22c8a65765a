package io.eventlet.hub.epoll;

import io.eventlet.jnr.ErrnoException;
import io.eventlet.jnr.Native;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/**
 * The Linux calls only the epoll hub makes, bound through JNR, each behind a checked wrapper
 * (eventlet-jnr's {@link Native#check}) that turns a -1 return into an {@link ErrnoException}
 * naming the call, its file descriptors and errno. {@code read}, {@code write} and {@code close}
 * are the shared ones of {@link Native}. Loading this class loads libc through JNR: only the
 * availability probe and the poller touch it, so the provider class loads without JNR.
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
    /** Linux's value (macOS and the BSDs use 35), so it lives with the Linux-only hub. */
    static final int EAGAIN = 11;

    /** The epoll hub's own functions. Public only because JNR implements it in a class loader of its own. */
    public interface EpollFunctions {
        @SaveError
        int epoll_create1(int flags);

        @SaveError
        int epoll_ctl(int epfd, int op, int fd, Pointer event);

        @SaveError
        int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);

        @SaveError
        int eventfd(int initval, int flags);
    }

    static final EpollFunctions EPOLL = Native.load(EpollFunctions.class);

    private Syscalls() {
    }

    static int epollCreate1(int flags) throws ErrnoException {
        return Native.check(EPOLL.epoll_create1(flags), () -> "epoll_create1(EPOLL_CLOEXEC)");
    }

    static void epollCtl(int epfd, int op, int fd, Pointer event) throws ErrnoException {
        Native.check(EPOLL.epoll_ctl(epfd, op, fd, event), () -> "epoll_ctl(epoll fd " + epfd + ", " + ctlName(op) + ", fd " + fd + ")");
    }

    private static String ctlName(int op) {
        return switch (op) {
            case EPOLL_CTL_ADD -> "EPOLL_CTL_ADD";
            case EPOLL_CTL_DEL -> "EPOLL_CTL_DEL";
            case EPOLL_CTL_MOD -> "EPOLL_CTL_MOD";
            default -> "op " + op;
        };
    }

    /** The number of events stored, or 0 when a signal interrupted the wait (the hub just loops). */
    static int epollWait(int epfd, Pointer events, int maxEvents, int timeoutMillis) throws ErrnoException {
        return Native.checkInterruptible(EPOLL.epoll_wait(epfd, events, maxEvents, timeoutMillis),
                () -> "epoll_wait(epoll fd " + epfd + ", timeout " + timeoutMillis + " ms)");
    }

    static int eventfd(int initval, int flags) throws ErrnoException {
        return Native.check(EPOLL.eventfd(initval, flags), () -> "eventfd(" + initval + ", EFD_NONBLOCK|EFD_CLOEXEC)");
    }
}
