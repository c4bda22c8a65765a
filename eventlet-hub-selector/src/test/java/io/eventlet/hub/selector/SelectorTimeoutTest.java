package io.eventlet.hub.selector;

import io.eventlet.kit.TimeoutBehaviour;
import io.eventlet.spi.HubProvider;

/** {@link TimeoutBehaviour} on the selector hub. */
class SelectorTimeoutTest extends TimeoutBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
