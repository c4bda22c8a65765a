package io.eventlet.hub.selector;

import io.eventlet.kit.HubConformance;
import io.eventlet.spi.HubProvider;

/** The whole behaviour suite (eventlet-api's conformance kit) on the selector hub. */
class SelectorConformanceTest extends HubConformance {
    @Override
    public HubProvider provider() {
        return new SelectorHubProvider();
    }
}
