package io.eventlet.hub.selector;

import io.eventlet.kit.GreenThreadBehaviour;
import io.eventlet.spi.HubProvider;

/** The green-thread behaviour suite, rerun by the selector hub's own module. */
class SelectorGreenThreadTest extends GreenThreadBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
