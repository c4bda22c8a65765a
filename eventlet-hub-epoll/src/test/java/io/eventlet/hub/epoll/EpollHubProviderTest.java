package io.eventlet.hub.epoll;

import io.eventlet.jnr.Errno;
import io.eventlet.jnr.ErrnoException;
import io.eventlet.jnr.Native;
import io.eventlet.kit.NativeHubProviderContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic provider checks come from {@link NativeHubProviderContract}; these are the epoll probe's own. */
class EpollHubProviderTest extends NativeHubProviderContract {
    EpollHubProviderTest() {
        super(new EpollHubProvider(), "epoll", 30);
    }

    @Override
    protected boolean supportedOnThisOs() {
        return OS.LINUX.isCurrentOs();
    }

    @Test
    void unavailableOnAnotherOsNamingIt() {
        Throwable cause = EpollHubProvider.probe("Mac OS X", "aarch64").orElseThrow();
        assertTrue(cause.getMessage().contains("Mac OS X"), cause.getMessage());
    }

    @Test
    void unavailableOnAnArchitectureWhoseStructLayoutIsUnknown() {
        Throwable cause = EpollHubProvider.probe("Linux", "riscv64").orElseThrow();
        assertTrue(cause.getMessage().contains("riscv64") && cause.getMessage().contains("epoll_event"), cause.getMessage());
    }

    @Test
    void epollEventLayoutPerArchitecture() {
        assertEquals(new EpollEvent(12, 4), EpollEvent.of("amd64"));
        assertEquals(new EpollEvent(12, 4), EpollEvent.of("x86_64"));
        assertEquals(new EpollEvent(16, 8), EpollEvent.of("aarch64"));
        assertEquals(new EpollEvent(16, 8), EpollEvent.of("arm64"));
    }

    /**
     * epoll_wait writes the native memory behind the pointer it is given, and the poller reads
     * it through a direct buffer: written through a raw view of that address, every field must
     * read back through the buffer (same memory, native byte order), for each architecture's
     * layout and at an unaligned element.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void whatAPointerWritesTheDirectBufferReadsBack() {
        for (EpollEvent layout : new EpollEvent[] {EpollEvent.of("amd64"), EpollEvent.of("aarch64")}) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(3 * layout.size()).order(java.nio.ByteOrder.nativeOrder());
            long address = jnr.ffi.Pointer.wrap(Native.runtime(), buffer).address();   // what epoll_wait is given
            assertTrue(address != 0, "a direct buffer's pointer carries its native address");
            // A raw view of that address, as the kernel sees it (not the buffer's own accessors).
            jnr.ffi.Pointer raw = jnr.ffi.Pointer.wrap(Native.runtime(), address);
            layout.put(raw, 1, 0x2019, 0x1234_5678_9abc_def0L);
            layout.put(raw, 2, -1, -1L);
            assertEquals(0x2019, layout.events(buffer, 1), layout.toString());
            assertEquals(0x1234_5678_9abc_def0L, layout.data(buffer, 1), layout.toString());
            assertEquals(-1, layout.events(buffer, 2));
            assertEquals(-1L, layout.data(buffer, 2));
            assertEquals(0, layout.events(buffer, 0), "element 0 untouched");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void failedCallsNameTheCallTheDescriptorAndErrno() {
        ErrnoException close = assertThrows(ErrnoException.class, () -> Native.close(-1));
        assertEquals("close(fd -1) failed with errno 9 EBADF: Bad file descriptor", close.getMessage());
        assertEquals(Errno.EBADF, close.errno());
        ErrnoException ctl = assertThrows(ErrnoException.class,
                () -> Syscalls.epollCtl(-1, Syscalls.EPOLL_CTL_DEL, 3, Native.allocate(16)));
        assertTrue(ctl.getMessage().startsWith("epoll_ctl(epoll fd -1, EPOLL_CTL_DEL, fd 3) failed with errno 9 EBADF"), ctl.getMessage());
        assertEquals("epoll_ctl(epoll fd -1, EPOLL_CTL_MOD, fd 3)", assertThrows(ErrnoException.class,
                () -> Syscalls.epollCtl(-1, Syscalls.EPOLL_CTL_MOD, 3, Native.allocate(16))).call());
        assertEquals("epoll_ctl(epoll fd -1, op 99, fd 3)", assertThrows(ErrnoException.class,
                () -> Syscalls.epollCtl(-1, 99, 3, Native.allocate(16))).call());
        ErrnoException wait = assertThrows(ErrnoException.class, () -> Syscalls.epollWait(-1, Native.allocate(16), 1, 0));
        assertTrue(wait.getMessage().startsWith("epoll_wait(epoll fd -1, timeout 0 ms) failed with errno 9 EBADF"), wait.getMessage());
        ErrnoException read = assertThrows(ErrnoException.class, () -> Native.read(-1, Native.allocate(8), 8));
        assertTrue(read.getMessage().startsWith("read(fd -1, 8 bytes)"), read.getMessage());
        ErrnoException write = assertThrows(ErrnoException.class, () -> Native.write(-1, Native.allocate(8), 8));
        assertTrue(write.getMessage().startsWith("write(fd -1, 8 bytes)"), write.getMessage());
        ErrnoException create = assertThrows(ErrnoException.class, () -> Syscalls.epollCreate1(-1));
        assertTrue(create.getMessage().contains("EINVAL"), create.getMessage());
        ErrnoException eventfd = assertThrows(ErrnoException.class, () -> Syscalls.eventfd(0, -1));
        assertTrue(eventfd.getMessage().startsWith("eventfd(0, "), eventfd.getMessage());
    }
}
