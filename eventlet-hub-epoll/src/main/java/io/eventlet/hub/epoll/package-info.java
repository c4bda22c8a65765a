/**
 * The Linux epoll hub (priority 30, chosen first where it works): readiness from one
 * edge-triggered epoll instance per hub, each channel registered once, woken through an
 * {@code eventfd}; the kernel is called through JNR with eventlet-jnr's checked calls. One public
 * {@link io.eventlet.hub.epoll.EpollHubProvider}, declared for the service loader; the poller,
 * the {@code struct epoll_event} layout (12 bytes on x86_64, 16 on aarch64) and the hub's own
 * syscalls are package-private.
 *
 * <h2>Threading</h2>
 * The poller is used only by its hub's thread, except {@code wakeup()}, which any thread may
 * call; the provider is stateless, and its availability is probed once per JVM.
 */
package io.eventlet.hub.epoll;
