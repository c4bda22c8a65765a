package io.eventlet.jnr;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@link Native}'s checked calls: a negative return becomes an {@link ErrnoException}, anything else passes through. */
@DisabledOnOs(OS.WINDOWS)
class CheckedCallTest {
    /** A description that must never be built: the call succeeded. */
    private static final Supplier<String> NEVER = () -> fail("the description was built for a call that succeeded");

    @Test
    @EnabledOnOs(OS.LINUX)
    void aFailedCallNamesItselfAndCarriesErrno() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> Native.close(-1));
        assertEquals("close(fd -1) failed with errno 9 EBADF: Bad file descriptor", e.getMessage());
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("close(fd -1)", e.call());
    }

    @Test
    void everyBuiltInCallIsChecked() {
        ErrnoException read = assertThrows(ErrnoException.class, () -> Native.read(-1, Native.allocate(8), 8));
        assertEquals("read(fd -1, 8 bytes)", read.call());
        assertEquals(Errno.EBADF, read.errno());
        ErrnoException write = assertThrows(ErrnoException.class, () -> Native.write(-1, Native.allocate(8), 8));
        assertEquals("write(fd -1, 8 bytes)", write.call());
        assertTrue(write.getMessage().endsWith(": " + Native.strerror(Errno.EBADF)), write.getMessage());
    }

    @Test
    void aSuccessfulCallReturnsItsResultAndBuildsNoDescription() throws ErrnoException {
        assertEquals(0, Native.check(0, NEVER));
        assertEquals(5, Native.check(5, NEVER));
        assertEquals(7L, Native.check(7L, NEVER));
        assertEquals(3, Native.checkInterruptible(3, NEVER));
    }

    @Test
    void aNegativeLongIsAFailureToo() {
        Native.runtime().setLastError(Errno.EBADF);
        ErrnoException e = assertThrows(ErrnoException.class, () -> Native.check(-1L, () -> "read(fd 3, 8 bytes)"));
        assertEquals(Errno.EBADF, e.errno());
    }

    /** The description may itself call native code: errno was read before it, so it cannot change the answer. */
    @Test
    void errnoIsReadBeforeTheDescriptionIsBuilt() {
        Native.runtime().setLastError(22);
        ErrnoException e = assertThrows(ErrnoException.class, () -> Native.check(-1, () -> {
            Native.libc().close(-1);   // saves EBADF
            return "ioctl(fd 3)";
        }));
        assertEquals(22, e.errno());
        assertEquals(Errno.EBADF, Native.errno(), "the description's own call did save its errno");
    }

    @Test
    void strerrorLeavesTheSavedErrnoAlone() {
        Native.runtime().setLastError(Errno.EBADF);
        assertEquals("Invalid argument", Native.strerror(22));
        assertEquals(Errno.EBADF, Native.errno());
    }

    /** JNR saves errno right after the call, as setLastError does here: EINTR is what a signal leaves. */
    @Test
    void anInterruptedWaitReturnsZeroAndAnyOtherFailureThrows() throws ErrnoException {
        Native.runtime().setLastError(Errno.EINTR);
        assertEquals(0, Native.checkInterruptible(-1, NEVER));
        Native.runtime().setLastError(Errno.EBADF);
        ErrnoException e = assertThrows(ErrnoException.class, () -> Native.checkInterruptible(-1, () -> "poll(2 fds, timeout 5 ms)"));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("poll(2 fds, timeout 5 ms)", e.call());
    }

    @Test
    void aPipeCarriesWhatIsWrittenAndClosesOnce() throws ErrnoException {
        int[] fds = Native.pipe();
        try {
            jnr.ffi.Pointer out = Native.allocate(2);
            out.putByte(0, (byte) 'h');
            out.putByte(1, (byte) 'i');
            assertEquals(2, Native.write(fds[1], out, 2));
            jnr.ffi.Pointer in = Native.allocate(4);
            assertEquals(2, Native.read(fds[0], in, 4));
            assertEquals('h', in.getByte(0));
            assertEquals('i', in.getByte(1));
            assertEquals(0, in.getByte(2), "allocate zeroes");
        } finally {
            Native.close(fds[0]);
            Native.close(fds[1]);
        }
        ErrnoException again = assertThrows(ErrnoException.class, () -> Native.close(fds[1]));
        assertEquals(Errno.EBADF, again.errno());
    }

    /** getpid(2), as a hub binds its own functions. Public: JNR implements it. */
    public interface Getpid {
        int getpid();
    }

    @Test
    void aHubsOwnFunctionsLoadOnTheSameRuntime() {
        Getpid lib = Native.load(Getpid.class);
        assertEquals(ProcessHandle.current().pid(), lib.getpid());
        assertSame(Native.runtime(), jnr.ffi.Runtime.getRuntime(lib));
        assertSame(Native.runtime(), jnr.ffi.Runtime.getRuntime(Native.libc()));
        assertSame(Native.libc(), Native.libc(), "one shared binding");
    }
}
