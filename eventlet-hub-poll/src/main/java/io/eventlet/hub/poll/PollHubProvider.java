package io.eventlet.hub.poll;

import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.util.Optional;

/**
 * The poll hub. Its native poller (JNR) is not in this version yet, so the provider reports
 * itself unavailable, with that cause, and hub selection moves on to the next provider. It never
 * pretends to work: {@link #open()} refuses.
 *
 * {@snippet :
 * new PollHubProvider().unavailabilityCause().ifPresent(c -> System.out.println("poll: " + c.getMessage()));
 * }
 *
 * <p>Thread-safe and stateless.
 */
public final class PollHubProvider implements HubProvider {
    private static final String WHY = "the poll hub's native poller is not implemented in this version; use the selector hub";

    @Override
    public String name() {
        return "poll";
    }

    @Override
    public int priority() {
        return 20;
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
