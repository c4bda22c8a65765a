package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.TimeoutBehaviour;
import io.eventlet.spi.HubProvider;

/** {@link TimeoutBehaviour} on the selector hub, inside eventlet-api's own build. */
class SelectorTimeoutTest extends TimeoutBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
