package io.eventlet.jnr;

import java.io.IOException;

/**
 * A system call failed. The message names the call with its descriptors and sizes, then errno
 * (with its symbolic name where {@link Errno#name(int)} knows it) and {@code strerror}'s text:
 *
 * <pre>{@code
 * epoll_ctl(epoll fd 5, EPOLL_CTL_ADD, fd 12) failed with errno 17 EEXIST: File exists
 * }</pre>
 *
 * <p>{@link #errno()} lets a caller tolerate the few values it expects, and {@link #call()} says
 * which call it was. {@link Native}'s checked calls throw it; a hub rarely constructs one itself.
 *
 * <p>Immutable, so it may be handed between threads.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The call that failed, as the message names it. */
    private final String call;
    /** The errno the call failed with. */
    private final int errno;

    /**
     * An exception for a call that failed with {@code errno}; the message names the call, the
     * errno (and its symbolic name when known) and the description.
     *
     * @param call the call as the message should name it, e.g. {@code "close(fd 7)"}
     * @param errno the value of errno right after the call failed
     * @param description {@code strerror(errno)}
     */
    public ErrnoException(String call, int errno, String description) {
        super(call + " failed with errno " + errno + Errno.name(errno).map(n -> " " + n).orElse("") + ": " + description);
        this.call = call;
        this.errno = errno;
    }

    /**
     * The errno the call failed with.
     *
     * @return the errno value
     */
    public int errno() {
        return errno;
    }

    /**
     * The call that failed, as named in the message: {@code "close(fd 7)"}.
     *
     * @return the call's name and arguments
     */
    public String call() {
        return call;
    }
}
