package io.eventlet.hub.epoll;

import java.io.IOException;

/**
 * A system call returned -1: the message names the call, its file descriptors and errno; the
 * errno itself is kept so callers can tolerate the few values they expect.
 */
final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    ErrnoException(String call, int errno, String description) {
        super(call + " failed with errno " + errno + Syscalls.errnoName(errno) + ": " + description);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
