package io.eventlet.hub.selector;

import io.eventlet.kit.HubBehaviour;
import io.eventlet.spi.HubProvider;

/** The hub behaviour suite, rerun by the selector hub's own module. */
class SelectorHubTest extends HubBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
