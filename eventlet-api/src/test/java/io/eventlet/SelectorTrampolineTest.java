package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.TrampolineBehaviour;
import io.eventlet.spi.HubProvider;

/** {@link TrampolineBehaviour} on the selector hub, inside eventlet-api's own build. */
class SelectorTrampolineTest extends TrampolineBehaviour {
    @Override
    protected HubProvider provider() {
        return new SelectorHubProvider();
    }
}
