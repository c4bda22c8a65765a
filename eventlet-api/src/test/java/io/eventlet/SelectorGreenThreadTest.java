package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.GreenThreadBehaviour;
import io.eventlet.spi.HubProvider;

/** The green-thread behaviour suite on the selector hub, run with eventlet-api's own tests. */
class SelectorGreenThreadTest extends GreenThreadBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
