/**
 * Green threads on pluggable hubs: the API ({@code io.eventlet} and its {@code net},
 * {@code sync}, {@code pool} and {@code debug} packages), the hub SPI ({@code io.eventlet.spi})
 * and the runtime ({@code io.eventlet.internal}, not exported). Hubs are found with the service
 * loader: put a hub module (eventlet-hub-selector, -epoll or -poll) beside this one.
 *
 * <p>On the module path the JVM needs {@code --add-opens java.base/java.lang=io.eventlet} (green
 * threads are virtual threads with a custom scheduler) and, for the native hubs,
 * {@code --add-exports java.base/sun.nio.ch=io.eventlet} (a channel's file descriptor); see the
 * README, "JVM flags".
 */
module io.eventlet {
    requires org.slf4j;          // logging only: no slf4j type in the API
    requires java.management;    // the backdoor's heap and gc commands
    requires jdk.jfr;            // the hubs' JFR events (internal.HubEvents)

    exports io.eventlet;
    exports io.eventlet.net;
    exports io.eventlet.sync;
    exports io.eventlet.pool;
    exports io.eventlet.debug;
    exports io.eventlet.spi;

    uses io.eventlet.spi.HubProvider;
}
