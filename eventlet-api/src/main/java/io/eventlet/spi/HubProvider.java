package io.eventlet.spi;

import java.io.IOException;
import java.util.List;
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
    /** The name users select with {@code -Deventlet.hub=NAME}: short, lower case, unique. */
    String name();

    /**
     * Higher wins when no hub is named. The bundled hubs use epoll 30, poll 20, selector 10
     * (eventlet's preference order).
     */
    int priority();

    /**
     * Empty when this hub works in this JVM; otherwise why not (a missing library, OS or JVM
     * flag), kept from a single real probe.
     */
    Optional<Throwable> unavailabilityCause();

    /**
     * The JVM flags this hub needs that this JVM was started without, each spelled for where the
     * code that needs it was loaded from: a module's name on the module path, {@code ALL-UNNAMED}
     * on the class path (for example {@code --enable-native-access=ALL-UNNAMED}). Starting a hub
     * checks these together with eventlet-api's own flag and fails with one message that names
     * every missing flag, so a user fixes the command line in one go.
     *
     * @return the missing flags, each one whole command-line option; empty by default and when
     *     nothing is missing
     */
    default List<String> missingJvmFlags() {
        return List.of();
    }

    /** Opens a new poller for one hub. Called only when {@link #unavailabilityCause()} is empty. */
    Poller open() throws IOException;
}
