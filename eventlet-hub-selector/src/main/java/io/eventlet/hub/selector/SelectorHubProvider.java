package io.eventlet.hub.selector;

import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.util.Optional;

/**
 * The portable hub: readiness from {@link java.nio.channels.Selector}, so it works wherever the
 * JDK does. Lowest priority of the bundled hubs; select it with {@code -Deventlet.hub=selector}.
 *
 * {@snippet :
 * Hub hub = Hub.start(new SelectorHubProvider());
 * }
 *
 * <p>Thread-safe and stateless.
 */
public final class SelectorHubProvider implements HubProvider {
    /** Creates the provider; cheap, opens nothing until {@link #open()}. */
    public SelectorHubProvider() {
    }

    @Override
    public String name() {
        return "selector";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Optional.empty();
    }

    @Override
    public Poller open() throws IOException {
        return new SelectorPoller();
    }
}
