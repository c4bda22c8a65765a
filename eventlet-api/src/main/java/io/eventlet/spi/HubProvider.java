package io.eventlet.spi;

import java.io.IOException;
import java.util.Optional;

/**
 * A kind of hub, found through {@link java.util.ServiceLoader}. Declare an implementation in
 * {@code META-INF/services/io.eventlet.spi.HubProvider} and with {@code provides} in
 * {@code module-info}; selection is explained in the README ("Picking a hub").
 *
 * <p>Implementations are thread-safe and cheap to construct: the service loader instantiates
 * every provider on the class path while selecting a hub, so probing work belongs in
 * {@link #unavailabilityCause()}, done once and remembered.
 *
 * {@snippet :
 * public final class MyHubProvider implements HubProvider {
 *     public String name() { return "my"; }
 *     public int priority() { return 5; }
 *     public Optional<Throwable> unavailabilityCause() { return Optional.empty(); }
 *     public Poller open() throws IOException { return new MyPoller(); }
 * }
 * }
 */
public interface HubProvider {
    /**
     * The name users select with {@code -Deventlet.hub=NAME}: short, lower case, unique.
     *
     * @return the hub's name
     */
    String name();

    /**
     * Higher wins when no hub is named. The bundled hubs use epoll 30, poll 20, selector 10
     * (eventlet's preference order).
     *
     * @return the hub's priority
     */
    int priority();

    /**
     * Empty when this hub works in this JVM; otherwise why not (a missing library, OS or JVM
     * flag), kept from a single real probe.
     *
     * @return empty when the hub can run here, else the probe's failure
     */
    Optional<Throwable> unavailabilityCause();

    /**
     * Opens a new poller for one hub. Called only when {@link #unavailabilityCause()} is empty.
     *
     * @return a new poller, which the hub closes
     * @throws IOException when the operating system refuses the poller's resources (descriptors)
     */
    Poller open() throws IOException;
}
