package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.GreenSocketBehaviour;
import io.eventlet.spi.HubProvider;

class SelectorGreenSocketTest extends GreenSocketBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
