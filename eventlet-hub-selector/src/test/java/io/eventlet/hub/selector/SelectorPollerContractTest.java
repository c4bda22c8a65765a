package io.eventlet.hub.selector;

import io.eventlet.kit.PollerContract;
import io.eventlet.spi.HubProvider;

/** {@link PollerContract} on the selector hub. */
class SelectorPollerContractTest extends PollerContract {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
