package io.eventlet.hub.selector;

import io.eventlet.kit.TrampolineBehaviour;
import io.eventlet.spi.HubProvider;

/** {@link TrampolineBehaviour} on the selector hub. */
class SelectorTrampolineTest extends TrampolineBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
