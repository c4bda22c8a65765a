package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.HubBehaviour;
import io.eventlet.spi.HubProvider;

/** The hub behaviour suite on the selector hub, run with eventlet-api's own tests. */
class SelectorHubTest extends HubBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
