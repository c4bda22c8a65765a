package io.eventlet.jnr;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** What an {@link ErrnoException} says: the call, errno, its name where known, strerror's text. */
class ErrnoMessageTest {
    @Test
    @EnabledOnOs(OS.LINUX)
    void namesTheCallErrnoItsSymbolAndTheSystemsText() {
        ErrnoException e = new ErrnoException("epoll_ctl(epoll fd 5, EPOLL_CTL_ADD, fd 12)", 17, "File exists");
        assertEquals("epoll_ctl(epoll fd 5, EPOLL_CTL_ADD, fd 12) failed with errno 17 EEXIST: File exists", e.getMessage());
        assertEquals(17, e.errno());
        assertEquals("epoll_ctl(epoll fd 5, EPOLL_CTL_ADD, fd 12)", e.call());
        assertInstanceOf(IOException.class, e);
    }

    @Test
    void anErrnoWithoutAKnownNameIsGivenByNumberAndText() {
        ErrnoException e = new ErrnoException("kevent(kq 3)", 9999, "Unknown error 9999");
        assertEquals("kevent(kq 3) failed with errno 9999: Unknown error 9999", e.getMessage());
        assertEquals(9999, e.errno());
    }

    @Test
    void theCommonLinuxNamesAreKnown() {
        String[] expected = {null, "EPERM", "ENOENT", null, "EINTR", null, null, null, null, "EBADF", null, "EAGAIN", "ENOMEM", null, "EFAULT",
            null, null, "EEXIST", null, null, null, null, "EINVAL", "ENFILE", "EMFILE", null, null, null, "ENOSPC"};
        for (int errno = 0; errno < expected.length; errno++) {
            assertEquals(Optional.ofNullable(expected[errno]), Errno.name(errno, true), "errno " + errno);
        }
        assertEquals(Optional.of("ENOSYS"), Errno.name(38, true));
        assertEquals(Optional.empty(), Errno.name(9999, true));
    }

    /** Numbers differ elsewhere (EAGAIN is 35 on macOS, where 11 is EDEADLK): no name rather than a wrong one. */
    @Test
    void offLinuxNoNameIsGiven() {
        assertEquals(Optional.empty(), Errno.name(11, false));
        assertEquals(Optional.empty(), Errno.name(Errno.EBADF, false));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxTheNameFollowsTheNumber() {
        assertEquals(Optional.of("EBADF"), Errno.name(Errno.EBADF));
    }

    @Test
    void osNamesAreReadCaseInsensitively() {
        assertEquals(true, Os.isLinux("Linux"));
        assertEquals(true, Os.isLinux("LINUX"));
        assertEquals(false, Os.isLinux("Mac OS X"));
        assertEquals(true, Os.isWindows("Windows 11"));
        assertEquals(false, Os.isWindows("FreeBSD"));
        assertEquals(OS.LINUX.isCurrentOs(), Os.LINUX);
    }
}
