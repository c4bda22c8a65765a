/** The portable hub: readiness from a {@code java.nio.channels.Selector}. */
module io.eventlet.hub.selector {
    requires io.eventlet;

    provides io.eventlet.spi.HubProvider with io.eventlet.hub.selector.SelectorHubProvider;
}
