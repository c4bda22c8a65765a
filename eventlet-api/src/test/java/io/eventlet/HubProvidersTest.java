package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Hub#providers()}: the public list of the hubs this JVM finds (here: the selector hub of the test class path). */
class HubProvidersTest {
    @Test
    void everyProviderFoundIsListedWithItsPriorityAndAvailability() {
        List<Hub.ProviderStatus> found = Hub.providers();
        assertEquals(1, found.size(), found.toString());
        Hub.ProviderStatus selector = found.get(0);
        assertEquals("selector", selector.name());
        assertEquals(10, selector.priority());
        assertTrue(selector.available());
        assertEquals(Optional.empty(), selector.unavailabilityCause());
        assertInstanceOf(SelectorHubProvider.class, selector.provider());
        assertThrows(UnsupportedOperationException.class, () -> found.add(selector), "a snapshot, not a view");
    }

    @Test
    void aStatusSaysWhyItIsUnavailable() {
        var cause = new IllegalAccessError("start the JVM with --add-exports java.base/sun.nio.ch=ALL-UNNAMED");
        var status = new Hub.ProviderStatus("epoll", 30, Optional.of(cause), new SelectorHubProvider());
        assertTrue(!status.available());
        assertEquals(cause, status.unavailabilityCause().orElseThrow());
        assertThrows(NullPointerException.class, () -> new Hub.ProviderStatus("x", 1, null, new SelectorHubProvider()));
    }

    @Test
    void noHubIsRequestedUnlessThePropertyOrTheEnvironmentNamesOne() {
        String before = System.getProperty(Hub.HUB_PROPERTY);
        try {
            System.setProperty(Hub.HUB_PROPERTY, "selector");
            assertEquals(Optional.of("selector"), Hub.requestedName());
            System.clearProperty(Hub.HUB_PROPERTY);
            assertEquals(Optional.ofNullable(System.getenv(Hub.HUB_ENVIRONMENT)).filter(s -> !s.isBlank()), Hub.requestedName());
        } finally {
            if (before != null) {
                System.setProperty(Hub.HUB_PROPERTY, before);
            }
        }
    }
}
