/**
 * The poll(2) hub (priority 20): level-triggered readiness on any POSIX system, through JNR with
 * eventlet-jnr's checked calls, woken through a pipe. One public
 * {@link io.eventlet.hub.poll.PollHubProvider}, declared for the service loader; the poller, the
 * {@code struct pollfd} layout and the hub's own syscalls are package-private.
 *
 * <h2>Threading</h2>
 * The poller is used only by its hub's thread, except {@code wakeup()}, which any thread may
 * call; the provider is stateless, and its availability is probed once per JVM.
 */
package io.eventlet.hub.poll;
