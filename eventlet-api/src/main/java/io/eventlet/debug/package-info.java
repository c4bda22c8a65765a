/**
 * Looking inside a running program: eventlet's {@code backdoor}. The blocking detector (eventlet's
 * {@code debug.hub_blocking_detection}) is switched on with {@code -Deventlet.debug.blocking=100ms}
 * and needs no code.
 *
 * {@snippet :
 * try (Backdoor door = Backdoor.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 3000))) {
 *     // nc localhost 3000, then: hubs, threads, stack <id>
 * }
 * }
 *
 * <h2>Threading</h2>
 * {@link io.eventlet.debug.Backdoor} runs on a hub of its own and reads other hubs' state through
 * their thread-safe statistics and snapshots.
 */
package io.eventlet.debug;
