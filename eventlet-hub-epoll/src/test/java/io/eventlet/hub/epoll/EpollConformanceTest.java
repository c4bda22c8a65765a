package io.eventlet.hub.epoll;

import io.eventlet.kit.HubConformance;
import io.eventlet.spi.HubProvider;

/** The whole behaviour suite (eventlet-api's conformance kit) on the epoll hub. */
class EpollConformanceTest extends HubConformance {
    @Override
    public HubProvider provider() {
        return new EpollHubProvider();
    }

    /** Registered once, edge-triggered, for both directions: interest changes are ignored. */
    @Override
    protected boolean pollerHonoursInterest() {
        return false;
    }
}
