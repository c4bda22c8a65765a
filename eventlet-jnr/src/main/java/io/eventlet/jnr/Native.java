package io.eventlet.jnr;

import java.util.function.Supplier;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Loading, errno and checked calls for every native hub: each checked call returns what the libc
 * function returned, or throws an {@link ErrnoException} naming the call, its descriptors and errno
 * when it returned a negative value.
 *
 * <p>A hub binds only its own functions, in an interface of its own, and checks their results
 * here:
 *
 * {@snippet :
 * public interface EpollFunctions {                  // public: JNR implements it
 *     int epoll_create1(int flags);
 * }
 *
 * static final EpollFunctions EPOLL = Native.load(EpollFunctions.class);
 *
 * static int epollCreate1(int flags) throws ErrnoException {
 *     return Native.check(EPOLL.epoll_create1(flags), () -> "epoll_create1(EPOLL_CLOEXEC)");
 * }
 * }
 *
 * <p>The description is a {@link Supplier}, built only when the call failed, so a call that
 * succeeds costs no string. errno is read before it is built and before {@code strerror} runs.
 *
 * <p>Nothing native is touched when this class loads: libc is loaded by the first method that
 * needs it. Thread-safe: every method may be called from any thread; errno is saved per thread by
 * JNR, right after the failed call, so another thread's call cannot change what a failure reports.
 */
public final class Native {
    private Native() {
    }

    /** The shared binding, loaded when first asked for (the JVM runs this once). */
    private static final class Shared {
        static final LibC LIBC = load(LibC.class);
    }

    /**
     * The shared {@link LibC} binding; the first call loads libc through JNR.
     *
     * @return the binding, loaded once and shared by every caller
     */
    public static LibC libc() {
        return Shared.LIBC;
    }

    /**
     * Binds the functions of {@code functions}, a public interface whose methods are named and typed
     * like the libc functions, in the C library. JNR saves errno after each call unless a method
     * says {@link jnr.ffi.annotations.IgnoreError}; annotate the calls whose errno you check with
     * {@link jnr.ffi.annotations.SaveError} anyway, to say so.
     *
     * <p>When JNR's native stub cannot be loaded (no jffi native jar for this platform, native
     * access denied), JNR still returns a binding, whose every call throws the
     * {@link UnsatisfiedLinkError}: an availability probe must make a real call, not just bind.
     *
     * @param <T> the binding interface
     * @param functions the binding interface to implement
     * @return an implementation of {@code functions} whose methods call the C library
     * @throws NoClassDefFoundError when JNR itself is not on the class path
     */
    public static <T> T load(Class<T> functions) {
        return LibraryLoader.create(functions).load("c");
    }

    /**
     * The JNR runtime the bindings of this class belong to: for {@link Pointer#wrap} and {@link
     * Memory}.
     *
     * @return the runtime of {@link #libc()}
     */
    public static jnr.ffi.Runtime runtime() {
        return jnr.ffi.Runtime.getSystemRuntime();
    }

    /**
     * A native buffer of {@code bytes}, zeroed, freed when the returned pointer is collected.
     *
     * @param bytes the buffer's size in bytes
     * @return a pointer to the new buffer
     */
    public static Pointer allocate(int bytes) {
        return Memory.allocateDirect(runtime(), bytes, true);
    }

    /**
     * The errno that this thread's last bound call saved.
     *
     * @return the errno saved by the last call on this thread that saves it
     */
    public static int errno() {
        return runtime().getLastError();
    }

    /**
     * The system's text for {@code errno}, e.g. "Bad file descriptor" for {@link Errno#EBADF}.
     *
     * @param errno an errno value
     * @return the C library's description of {@code errno}
     */
    public static String strerror(int errno) {
        return libc().strerror(errno);
    }

    /**
     * {@code result}, or an {@link ErrnoException} for {@code call} with this thread's errno when
     * {@code result} is negative.
     *
     * @param result what the call returned
     * @return {@code result}, when it is not negative
     * @param call how the message names the call, e.g. {@code () -> "close(fd " + fd + ")"}; built
     *     only on failure
     * @throws ErrnoException when {@code result} is negative, with this thread's errno
     */
    public static int check(int result, Supplier<String> call) throws ErrnoException {
        if (result < 0) {
            throw failure(call);
        }
        return result;
    }

    /**
     * {@link #check(int, Supplier)} for calls that return {@code ssize_t} or {@code long}.
     *
     * @param result what the call returned
     * @param call how the message names the call; built only on failure
     * @return {@code result}, when it is not negative
     * @throws ErrnoException when {@code result} is negative, with this thread's errno
     */
    public static long check(long result, Supplier<String> call) throws ErrnoException {
        if (result < 0) {
            throw failure(call);
        }
        return result;
    }

    /**
     * {@link #check(int, Supplier)} for a wait ({@code epoll_wait}, {@code poll}): 0, as if nothing
     * were ready, when a signal interrupted it ({@link Errno#EINTR}), so the hub just loops.
     *
     * @param result what the wait returned: the number of ready descriptors, or negative
     * @param call how the message names the call; built only on failure
     * @return {@code result}, or 0 when the wait failed with {@code EINTR}
     * @throws ErrnoException when {@code result} is negative with any errno but {@code EINTR}
     */
    public static int checkInterruptible(int result, Supplier<String> call) throws ErrnoException {
        if (result < 0 && errno() == Errno.EINTR) {
            return 0;
        }
        return check(result, call);
    }

    /**
     * {@code close(fd)}, checked.
     *
     * @param fd the descriptor to close
     * @throws ErrnoException when {@code close} fails ({@code EBADF} for a descriptor that is not
     *     open)
     */
    public static void close(int fd) throws ErrnoException {
        check(libc().close(fd), () -> "close(fd " + fd + ")");
    }

    /**
     * {@code read(fd, buf, count)}, checked: the number of bytes read, 0 at end of file.
     *
     * @param fd the descriptor to read
     * @param buf where the bytes go, at least {@code count} bytes long
     * @param count the most bytes to read
     * @return the number of bytes read, 0 at end of file
     * @throws ErrnoException when {@code read} fails ({@code EAGAIN} on a non-blocking descriptor
     *     with nothing to read)
     */
    public static long read(int fd, Pointer buf, long count) throws ErrnoException {
        return check(libc().read(fd, buf, count), () -> "read(fd " + fd + ", " + count + " bytes)");
    }

    /**
     * {@code write(fd, buf, count)}, checked: the number of bytes written.
     *
     * @param fd the descriptor to write
     * @param buf the bytes to write
     * @param count how many bytes of {@code buf} to write
     * @return the number of bytes written, which may be fewer than {@code count}
     * @throws ErrnoException when {@code write} fails
     */
    public static long write(int fd, Pointer buf, long count) throws ErrnoException {
        return check(libc().write(fd, buf, count), () -> "write(fd " + fd + ", " + count + " bytes)");
    }

    /**
     * {@code pipe(fds)}, checked: a new pipe's read end and write end, in that order. Both are
     * blocking and inherited by {@code exec} (no {@code O_CLOEXEC}); the caller closes them.
     *
     * @return the read end and the write end of the new pipe
     * @throws ErrnoException when {@code pipe} fails ({@code EMFILE} when the process is out of
     *     descriptors)
     */
    public static int[] pipe() throws ErrnoException {
        int[] fds = new int[2];
        check(libc().pipe(fds), () -> "pipe()");
        return fds;
    }

    /** Reads errno first: building the description and {@code strerror} come after. */
    private static ErrnoException failure(Supplier<String> call) {
        int errno = errno();
        return new ErrnoException(call.get(), errno, strerror(errno));
    }
}
