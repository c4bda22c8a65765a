package io.eventlet.hub.poll;

import io.eventlet.kit.HubConformance;
import io.eventlet.spi.HubProvider;

/** The whole behaviour suite (eventlet-api's conformance kit) on the poll hub. */
class PollConformanceTest extends HubConformance {
    @Override
    public HubProvider provider() {
        return new PollHubProvider();
    }
}
