package io.eventlet.jnr;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions any native hub needs, bound through JNR. Use the one shared instance,
 * {@link Native#libc()}, or better the checked calls in {@link Native}, which turn a failure into
 * an {@link ErrnoException}. A hub's own functions ({@code epoll_wait}, {@code poll},
 * {@code kevent}) belong in an interface of its own, loaded with {@link Native#load(Class)}: the
 * loading and the errno handling stay here.
 *
 * <p>Each call that can fail saves errno ({@link SaveError}) for {@link Native#errno()};
 * {@code strerror} does not ({@link IgnoreError}), so describing a failure cannot overwrite the
 * errno it describes.
 *
 * <p>Public only because JNR implements it in a class loader of its own. Thread-safe: each method
 * is a plain libc call, and JNR saves errno per thread.
 */
public interface LibC {
    /**
     * {@code int close(int fd)}.
     *
     * @param fd the descriptor to close
     * @return 0, or -1 with errno set
     */
    @SaveError
    int close(int fd);

    /**
     * {@code ssize_t read(int fd, void *buf, size_t count)}.
     *
     * @param fd the descriptor to read
     * @param buf where the bytes go
     * @param count the most bytes to read
     * @return the number of bytes read (0 at end of file), or -1 with errno set
     */
    @SaveError
    @ssize_t
    long read(int fd, Pointer buf, @size_t long count);

    /**
     * {@code ssize_t write(int fd, const void *buf, size_t count)}.
     *
     * @param fd the descriptor to write
     * @param buf the bytes to write
     * @param count how many bytes to write
     * @return the number of bytes written, or -1 with errno set
     */
    @SaveError
    @ssize_t
    long write(int fd, Pointer buf, @size_t long count);

    /**
     * {@code int pipe(int fds[2])}: {@code fds[0]} is the read end, {@code fds[1]} the write end.
     *
     * @param fds receives the two new descriptors
     * @return 0, or -1 with errno set
     */
    @SaveError
    int pipe(@Out int[] fds);

    /**
     * {@code char *strerror(int errnum)}: the system's text for an errno value.
     *
     * @param errnum an errno value
     * @return the description, e.g. {@code "Bad file descriptor"}
     */
    @IgnoreError
    String strerror(int errnum);
}
