package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.HubConformance;
import io.eventlet.spi.HubProvider;

class SelectorConformanceTest extends HubConformance {
    @Override
    public HubProvider provider() {
        return new SelectorHubProvider();
    }
}
