package io.eventlet.hub.poll;

import io.eventlet.jnr.Errno;
import io.eventlet.jnr.ErrnoException;
import io.eventlet.jnr.Native;
import io.eventlet.kit.NativeHubProviderContract;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic provider checks come from {@link NativeHubProviderContract}; these are the poll probe's own. */
class PollHubProviderTest extends NativeHubProviderContract {
    PollHubProviderTest() {
        super(new PollHubProvider(), "poll", 20);
    }

    @Override
    protected boolean supportedOnThisOs() {
        return !OS.WINDOWS.isCurrentOs();
    }

    @Test
    void unavailableOnWindowsNamingIt() {
        Throwable cause = PollHubProvider.probe("Windows 11").orElseThrow();
        assertTrue(cause.getMessage().contains("Windows 11"), cause.getMessage());
    }

    /** Since eventlet-jnr, poll's failures are ErrnoExceptions like epoll's: errno is kept, and named on Linux. */
    @Test
    @DisabledOnOs(OS.WINDOWS)
    void failedCallsNameTheCallTheDescriptorAndErrno() {
        ErrnoException write = assertThrows(ErrnoException.class, () -> Native.write(-1, Native.allocate(1), 1));
        assertEquals(OS.LINUX.isCurrentOs() ? "write(fd -1, 1 bytes) failed with errno 9 EBADF: Bad file descriptor"
                : "write(fd -1, 1 bytes) failed with errno 9: Bad file descriptor", write.getMessage());
        assertEquals(Errno.EBADF, write.errno());
        // More elements than the process may have descriptors: EINVAL.
        ErrnoException poll = assertThrows(ErrnoException.class, () -> Syscalls.poll(Native.allocate(8), Integer.MAX_VALUE, 0));
        assertTrue(poll.getMessage().startsWith("poll(" + Integer.MAX_VALUE + " fds, timeout 0 ms) failed with errno 22"), poll.getMessage());
        assertEquals(22, poll.errno());
        assertEquals("poll(" + Integer.MAX_VALUE + " fds, timeout 0 ms)", poll.call());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void pollFdLayout() throws IOException {
        var array = PollFd.allocate(2);
        long address = jnr.ffi.Pointer.wrap(Native.runtime(), array).address();   // what poll(2) is given
        assertTrue(address != 0, "a direct buffer's pointer carries its native address");
        // A raw view of that address, as the kernel sees it (not the buffer's own accessors).
        var pointer = jnr.ffi.Pointer.wrap(Native.runtime(), address);
        PollFd.set(array, 1, 42, (short) (PollFd.POLLIN | PollFd.POLLOUT));
        assertEquals(42, pointer.getInt(8));
        assertEquals(PollFd.POLLIN | PollFd.POLLOUT, pointer.getShort(12));
        assertEquals(0, pointer.getShort(14));
        pointer.putShort(14, PollFd.POLLHUP);   // as poll(2) writes revents
        assertEquals(PollFd.POLLHUP, PollFd.revents(array, 1));
        pointer.putShort(14, (short) 0);
        PollFd.move(array, 1, 0);
        assertEquals(42, PollFd.fd(array, 0));
        assertEquals(PollFd.POLLIN | PollFd.POLLOUT, PollFd.events(array, 0));
        assertEquals(0, PollFd.revents(array, 0));
    }
}
