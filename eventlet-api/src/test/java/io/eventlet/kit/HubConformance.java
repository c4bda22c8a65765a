package io.eventlet.kit;

import io.eventlet.spi.HubProvider;
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
}
