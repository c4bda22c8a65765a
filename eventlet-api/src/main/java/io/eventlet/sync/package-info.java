/**
 * Coordination between green threads: eventlet's {@code event}, {@code semaphore} and
 * {@code queue} modules. A wait suspends only the calling green thread, ends with the exception
 * of a kill or a {@link io.eventlet.Timeout}, and never consumes what it gave up: a permit or an
 * item granted to a wait that was abandoned goes to the next waiter.
 *
 * {@snippet :
 * Queue<String> jobs = new Queue<>(100);        // bounded: put waits while it is full
 * Eventlet.spawn(() -> { jobs.put("hello"); return null; });
 * String job = jobs.get();                      // suspends until an item comes
 * }
 *
 * <ul>
 *   <li>{@link io.eventlet.sync.Event}: one value (or exception) sent to every waiter.</li>
 *   <li>{@link io.eventlet.sync.Semaphore}, {@link io.eventlet.sync.BoundedSemaphore},
 *       {@link io.eventlet.sync.CappedSemaphore}: counting permits.</li>
 *   <li>{@link io.eventlet.sync.LightQueue}, {@link io.eventlet.sync.Queue},
 *       {@link io.eventlet.sync.LifoQueue}, {@link io.eventlet.sync.PriorityQueue}: FIFO, task
 *       tracking, LIFO and priority order.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Every primitive is thread-safe: green threads of any hub and plain threads may share one. A
 * plain thread blocks; an interrupt ends its wait with
 * {@link java.util.concurrent.CancellationException} and leaves its interrupt status set. On one
 * hub the internal lock is never contended, so a primitive costs a compare-and-set per use.
 */
package io.eventlet.sync;
