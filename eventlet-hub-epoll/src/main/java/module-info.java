/** The epoll hub: readiness from Linux epoll, called through JNR. */
module io.eventlet.hub.epoll {
    requires io.eventlet;
    requires io.eventlet.jnr;

    // Exported without a target: JNR implements this hub's syscall interface in a class of its
    // own class loader (an unnamed module), which must see it. The package's only public class
    // is the provider.
    exports io.eventlet.hub.epoll;

    provides io.eventlet.spi.HubProvider with io.eventlet.hub.epoll.EpollHubProvider;
}
