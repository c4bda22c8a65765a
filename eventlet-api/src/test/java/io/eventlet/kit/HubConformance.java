package io.eventlet.kit;

import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import org.junit.jupiter.api.Nested;

/**
 * The whole behaviour suite for one kind of hub. A hub module (or a custom hub) runs it with one
 * small subclass:
 *
 * {@snippet :
 * class MyHubConformanceTest extends HubConformance {
 *     @Override
 *     protected HubProvider provider() {
 *         return new MyHubProvider();
 *     }
 * }
 * }
 */
public abstract class HubConformance {
    protected abstract HubProvider provider();

    /** False for an edge-triggered poller that ignores interest changes (the SPI allows it). */
    protected boolean pollerHonoursInterest() {
        return true;
    }

    @Nested
    class GreenThreads extends GreenThreadBehaviour {
        @Override
        protected HubProvider provider() {
            return HubConformance.this.provider();
        }
    }

    @Nested
    class HubLoop extends HubBehaviour {
        @Override
        protected HubProvider provider() {
            return HubConformance.this.provider();
        }
    }

    @Nested
    class Timeouts extends TimeoutBehaviour {
        @Override
        protected HubProvider provider() {
            return HubConformance.this.provider();
        }
    }

    @Nested
    class Trampolines extends TrampolineBehaviour {
        @Override
        protected HubProvider provider() {
            return HubConformance.this.provider();
        }
    }

    @Nested
    class Poller extends PollerContract {
        @Override
        protected HubProvider provider() {
            return HubConformance.this.provider();
        }

        @Override
        protected boolean honoursInterest() {
            return pollerHonoursInterest();
        }
    }

    @Nested
    class Sockets extends GreenSocketBehaviour {
        @Override
        protected HubProvider provider() {
            return HubConformance.this.provider();
        }
    }

    @Nested
    class Datagrams extends GreenDatagramBehaviour {
        @Override
        protected HubProvider provider() {
            return HubConformance.this.provider();
        }
    }

    @Nested
    class Tls extends GreenSslSocketBehaviour {
        @Override
        protected HubProvider provider() {
            return HubConformance.this.provider();
        }
    }
}
