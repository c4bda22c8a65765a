package io.eventlet.hub.epoll;

import static org.junit.jupiter.api.Assertions.*;

import io.eventlet.internal.HubSelection;
import io.eventlet.spi.HubProvider;
import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class EpollHubProviderTest {
    @Test
    void isFoundByTheServiceLoader() {
        List<HubProvider> found = ServiceLoader.load(HubProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.stream().filter(p -> p instanceof EpollHubProvider).count(), found::toString);
        assertEquals(1, found.stream().filter(p -> p.name().equals("epoll")).count(), found::toString);
    }

    @Test
    void reportsItselfUnavailableSayingWhy() {
        HubProvider p = new EpollHubProvider();
        assertEquals("epoll", p.name());
        Throwable cause = p.unavailabilityCause().orElseThrow(() -> new AssertionError("epoll must not claim to be available yet"));
        assertNotNull(cause.getMessage());
        assertTrue(cause.getMessage().contains("epoll") && cause.getMessage().contains("not implemented"), cause.getMessage());
    }

    @Test
    void openRefuses() {
        var e = assertThrows(IOException.class, () -> new EpollHubProvider().open());
        assertTrue(e.getMessage().contains("epoll"), e.getMessage());
    }

    @Test
    void selectionFromTheEnvironmentPicksTheSelectorWhenAllAreOnTheClassPath() {
        HubSelection.Result r = HubSelection.fromEnvironment();
        // The other native hub would be a dependency cycle here; this one and the selector suffice.
        assertTrue(r.seen().stream().map(HubSelection.Status::name).toList().containsAll(List.of("epoll", "selector")), r.seen()::toString);
        assertEquals(List.of(), r.loadFailures());
        assertEquals("selector", r.chosen().name());
    }

    @Test
    void namingItIsAnErrorThatSaysWhy() {
        var e = assertThrows(IllegalStateException.class,
                () -> HubSelection.select(java.util.Optional.of("epoll"), HubSelection.fromEnvironmentProviders()));
        assertTrue(e.getMessage().contains("'epoll' is unavailable") && e.getMessage().contains("not implemented"), e.getMessage());
        assertTrue(e.getMessage().contains("selector"), e.getMessage());
    }

    @Test
    void priorityFollowsEventletsOrder() {
        assertTrue(new EpollHubProvider().priority() > 10, "above the selector hub");
    }
}
