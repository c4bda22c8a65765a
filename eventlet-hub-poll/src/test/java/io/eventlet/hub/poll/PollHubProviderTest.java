package io.eventlet.hub.poll;

import static org.junit.jupiter.api.Assertions.*;

import io.eventlet.internal.HubSelection;
import io.eventlet.spi.HubProvider;
import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PollHubProviderTest {
    @Test
    void isFoundByTheServiceLoader() {
        List<HubProvider> found = ServiceLoader.load(HubProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.stream().filter(p -> p instanceof PollHubProvider).count(), found::toString);
        assertEquals(1, found.stream().filter(p -> p.name().equals("poll")).count(), found::toString);
    }

    @Test
    void reportsItselfUnavailableSayingWhy() {
        HubProvider p = new PollHubProvider();
        assertEquals("poll", p.name());
        Throwable cause = p.unavailabilityCause().orElseThrow(() -> new AssertionError("poll must not claim to be available yet"));
        assertNotNull(cause.getMessage());
        assertTrue(cause.getMessage().contains("poll") && cause.getMessage().contains("not implemented"), cause.getMessage());
    }

    @Test
    void openRefuses() {
        var e = assertThrows(IOException.class, () -> new PollHubProvider().open());
        assertTrue(e.getMessage().contains("poll"), e.getMessage());
    }

    @Test
    void selectionFromTheEnvironmentPicksTheSelectorWhenAllAreOnTheClassPath() {
        HubSelection.Result r = HubSelection.fromEnvironment();
        // The other native hub would be a dependency cycle here; this one and the selector suffice.
        assertTrue(r.seen().stream().map(HubSelection.Status::name).toList().containsAll(List.of("poll", "selector")), r.seen()::toString);
        assertEquals(List.of(), r.loadFailures());
        assertEquals("selector", r.chosen().name());
    }

    @Test
    void namingItIsAnErrorThatSaysWhy() {
        var e = assertThrows(IllegalStateException.class,
                () -> HubSelection.select(java.util.Optional.of("poll"), HubSelection.fromEnvironmentProviders()));
        assertTrue(e.getMessage().contains("'poll' is unavailable") && e.getMessage().contains("not implemented"), e.getMessage());
        assertTrue(e.getMessage().contains("selector"), e.getMessage());
    }

    @Test
    void priorityFollowsEventletsOrder() {
        assertTrue(new PollHubProvider().priority() > 10, "above the selector hub");
    }
}
