package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.GreenDatagramBehaviour;
import io.eventlet.spi.HubProvider;

class SelectorGreenDatagramTest extends GreenDatagramBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
