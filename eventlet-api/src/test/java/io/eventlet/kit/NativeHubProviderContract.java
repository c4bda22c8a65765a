package io.eventlet.kit;

import io.eventlet.spi.HubProvider;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a provider of a hub that reaches native code through JNR must do, whatever the system call:
 * be found by {@link ServiceLoader}, probe once, and load and answer its name without JNR, then
 * report JNR missing as its unavailability cause. A hub module runs it with a subclass that adds
 * its own probe tests:
 *
 * {@snippet :
 * class PollHubProviderTest extends NativeHubProviderContract {
 *     PollHubProviderTest() {
 *         super(new PollHubProvider(), "poll", 20);
 *     }
 * }
 * }
 */
public abstract class NativeHubProviderContract {
    private final HubProvider provider;
    private final String name;
    private final int priority;

    protected NativeHubProviderContract(HubProvider provider, String name, int priority) {
        this.provider = provider;
        this.name = name;
        this.priority = priority;
    }

    /** Whether the hub is meant to work on this operating system (where the build runs). */
    protected abstract boolean supportedOnThisOs();

    @Test
    void availableHereAndFoundByServiceLoader() {
        Assumptions.assumeTrue(supportedOnThisOs(), () -> "the " + name + " hub does not work on " + System.getProperty("os.name"));
        HubProvider found = ServiceLoader.load(HubProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name))
                .findFirst().orElseThrow();
        assertInstanceOf(provider.getClass(), found);
        assertEquals(priority, found.priority());
        assertEquals(Optional.empty(), found.unavailabilityCause());
        // Probed once: every provider instance shares the result.
        assertSame(found.unavailabilityCause(), provider.unavailabilityCause());
        assertEquals(provider.getClass().getSimpleName() + "[priority " + priority + "]", found.toString());
    }

    /**
     * The provider class loads and answers without JNR: here it is loaded by a class loader that
     * sees the hub module's and eventlet-api's classes but not JNR, as when the JNR jars are missing.
     */
    @Test
    void loadsAndAnswersWithoutJnrThenReportsJnrMissing() throws Exception {
        URL hub = provider.getClass().getProtectionDomain().getCodeSource().getLocation();
        URL api = HubProvider.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {hub, api}, ClassLoader.getPlatformClassLoader())) {
            // Another loader's HubProvider is another type: call it reflectively.
            Class<?> type = Class.forName(provider.getClass().getName(), true, loader);
            Object isolated = type.getConstructor().newInstance();
            assertEquals(name, type.getMethod("name").invoke(isolated));
            assertEquals(priority, type.getMethod("priority").invoke(isolated));
            // Only now is native code reached for, and its absence is the cause.
            Optional<?> answer = (Optional<?>) type.getMethod("unavailabilityCause").invoke(isolated);
            Throwable cause = (Throwable) answer.orElseThrow();
            assertInstanceOf(LinkageError.class, cause, cause.toString());
            assertTrue(cause.getMessage().contains("jnr"), cause.toString());
            InvocationTargetException thrown = assertThrows(InvocationTargetException.class, () -> type.getMethod("open").invoke(isolated));
            IOException e = assertInstanceOf(IOException.class, thrown.getCause());
            assertSame(cause, e.getCause());
            assertTrue(e.getMessage().startsWith("the " + name + " hub is unavailable"), e.getMessage());
        }
    }
}
