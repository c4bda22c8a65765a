/**
 * Pools: eventlet's {@code pools} (a bounded pool of reusable resources, such as connections) and
 * {@code tpool} (platform threads for the calls that would block a hub: file I/O, native calls,
 * CPU-heavy work). Bounded spawning of green threads is {@link io.eventlet.GreenPool}, beside the
 * green threads themselves.
 *
 * {@snippet :
 * String text = Tpool.execute(() -> Files.readString(path));   // the hub runs others meanwhile
 * }
 *
 * <h2>Threading</h2>
 * {@link io.eventlet.pool.Pool} and {@link io.eventlet.pool.Tpool} are thread-safe. A green
 * caller of {@link io.eventlet.pool.Tpool#execute} is suspended until a pool thread has run the
 * task; a plain caller blocks.
 */
package io.eventlet.pool;
