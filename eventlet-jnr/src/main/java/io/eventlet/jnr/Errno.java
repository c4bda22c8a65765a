package io.eventlet.jnr;

import java.util.Optional;

/**
 * The errno values native hubs test for, and the symbolic names of the common ones.
 *
 * <p>The constants here have the same value on Linux, the BSDs and macOS. A value that differs
 * between systems ({@code EAGAIN} is 11 on Linux, 35 on macOS and the BSDs) belongs to the hub of
 * the one system that uses it. {@link #name(int)} knows Linux's numbers and answers only on Linux;
 * elsewhere an {@link ErrnoException} carries the number and {@code strerror}'s text, which are
 * right everywhere.
 *
 * <p>Stateless and thread-safe.
 */
public final class Errno {
    /** No such file or directory (epoll: the descriptor is not in the set). */
    public static final int ENOENT = 2;
    /** A signal interrupted the call; see {@link Native#checkInterruptible(int, java.util.function.Supplier)}. */
    public static final int EINTR = 4;
    /** Bad file descriptor. */
    public static final int EBADF = 9;

    private Errno() {
    }

    /**
     * The symbolic name of {@code errno} ({@code "EBADF"}) when this is Linux and the value is one
     * of the common ones a hub's calls document; otherwise empty.
     *
     * @param errno an errno value
     * @return the name, such as {@code "EBADF"}, or empty when it is not known here
     */
    public static Optional<String> name(int errno) {
        return name(errno, Os.LINUX);
    }

    /** {@link #name(int)} as it answers on Linux ({@code linux}) or elsewhere. */
    static Optional<String> name(int errno, boolean linux) {
        if (!linux) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (errno) {
            case 1 -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 14 -> "EFAULT";
            case 17 -> "EEXIST";
            case 22 -> "EINVAL";
            case 23 -> "ENFILE";
            case 24 -> "EMFILE";
            case 28 -> "ENOSPC";
            case 38 -> "ENOSYS";
            default -> null;
        });
    }
}
