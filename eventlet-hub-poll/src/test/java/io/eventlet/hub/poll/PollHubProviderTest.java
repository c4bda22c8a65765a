package io.eventlet.hub.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlet.spi.HubProvider;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

class PollHubProviderTest {
    @Test
    @DisabledOnOs(OS.WINDOWS)
    void availableHereAndFoundByServiceLoader() {
        HubProvider found = ServiceLoader.load(HubProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("poll"))
                .findFirst().orElseThrow();
        assertInstanceOf(PollHubProvider.class, found);
        assertEquals(20, found.priority());
        assertEquals(Optional.empty(), found.unavailabilityCause());
        // Probed once: every provider instance shares the result.
        assertSame(found.unavailabilityCause(), new PollHubProvider().unavailabilityCause());
        assertEquals("PollHubProvider[priority 20]", found.toString());
    }

    /**
     * The provider class loads and answers without JNR: here it is loaded by a class loader that
     * sees this module's and eventlet-api's classes but not JNR, as when the JNR jars are missing.
     */
    @Test
    void loadsAndAnswersWithoutJnrThenReportsJnrMissing() throws Exception {
        URL hub = PollHubProvider.class.getProtectionDomain().getCodeSource().getLocation();
        URL api = HubProvider.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {hub, api}, ClassLoader.getPlatformClassLoader())) {
            // Another loader's HubProvider is another type: call it reflectively.
            Class<?> type = Class.forName(PollHubProvider.class.getName(), true, loader);
            Object provider = type.getConstructor().newInstance();
            assertEquals("poll", type.getMethod("name").invoke(provider));
            assertEquals(20, type.getMethod("priority").invoke(provider));
            // Only now is native code reached for, and its absence is the cause.
            Optional<?> answer = (Optional<?>) type.getMethod("unavailabilityCause").invoke(provider);
            Throwable cause = (Throwable) answer.orElseThrow();
            assertInstanceOf(LinkageError.class, cause, cause.toString());
            assertTrue(cause.getMessage().contains("jnr"), cause.toString());
            InvocationTargetException thrown = assertThrows(InvocationTargetException.class, () -> type.getMethod("open").invoke(provider));
            IOException e = assertInstanceOf(IOException.class, thrown.getCause());
            assertSame(cause, e.getCause());
            assertTrue(e.getMessage().startsWith("the poll hub is unavailable"), e.getMessage());
        }
    }

    @Test
    void unavailableOnWindowsNamingIt() {
        Throwable cause = PollHubProvider.probe("Windows 11").orElseThrow();
        assertTrue(cause.getMessage().contains("Windows 11"), cause.getMessage());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void failedCallsNameTheCallTheDescriptorAndErrno() {
        IOException write = assertThrows(IOException.class, () -> Syscalls.write(-1, Syscalls.allocate(1), 1));
        assertEquals("write(fd -1, 1 bytes) failed with errno 9: Bad file descriptor", write.getMessage());
        // More elements than the process may have descriptors: EINVAL.
        IOException poll = assertThrows(IOException.class, () -> Syscalls.poll(Syscalls.allocate(8), Integer.MAX_VALUE, 0));
        assertTrue(poll.getMessage().startsWith("poll(" + Integer.MAX_VALUE + " fds, timeout 0 ms) failed with errno 22"), poll.getMessage());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void pollFdLayout() throws IOException {
        var array = Syscalls.allocate(2 * PollFd.SIZE);
        PollFd.set(array, 1, 42, (short) (PollFd.POLLIN | PollFd.POLLOUT));
        assertEquals(42, array.getInt(8));
        assertEquals(PollFd.POLLIN | PollFd.POLLOUT, array.getShort(12));
        assertEquals(0, array.getShort(14));
        PollFd.move(array, 1, 0);
        assertEquals(42, PollFd.fd(array, 0));
        assertEquals(PollFd.POLLIN | PollFd.POLLOUT, PollFd.events(array, 0));
        assertEquals(0, PollFd.revents(array, 0));
    }
}
