/** The poll hub: readiness from poll(2), called through JNR. */
module io.eventlet.hub.poll {
    requires io.eventlet;
    requires io.eventlet.jnr;

    // Exported without a target: JNR implements this hub's syscall interface in a class of its
    // own class loader (an unnamed module), which must see it. The package's only public class
    // is the provider.
    exports io.eventlet.hub.poll;

    provides io.eventlet.spi.HubProvider with io.eventlet.hub.poll.PollHubProvider;
}
