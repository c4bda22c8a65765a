package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.PollerContract;
import io.eventlet.spi.HubProvider;

/** {@link PollerContract} on the selector hub, inside eventlet-api's own build. */
class SelectorPollerContractTest extends PollerContract {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
