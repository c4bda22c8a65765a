package io.eventlet.hub.epoll;

import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.util.Optional;

/**
 * The epoll hub. Its native poller (JNR) is not in this version yet, so the provider reports
 * itself unavailable, with that cause, and hub selection moves on to the next provider. It never
 * pretends to work: {@link #open()} refuses.
 *
 * {@snippet :
 * new EpollHubProvider().unavailabilityCause().ifPresent(c -> System.out.println("epoll: " + c.getMessage()));
 * }
 *
 * <p>Thread-safe and stateless.
 */
public final class EpollHubProvider implements HubProvider {
    private static final String WHY = "the epoll hub's native poller is not implemented in this version; use the selector hub";

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public int priority() {
        return 30;
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Optional.of(new UnsupportedOperationException(WHY));
    }

    @Override
    public Poller open() throws IOException {
        throw new IOException(WHY);
    }
}
