/**
 * Green threads and timeouts: eventlet's {@code greenthread}, {@code timeout} and
 * {@code greenpool} modules, and {@link io.eventlet.Eventlet}, the façade a program starts from
 * (like {@code import eventlet}: spawn, sleep, run, and the socket helpers of
 * {@link io.eventlet.net}).
 *
 * {@snippet :
 * Eventlet.run(() -> {
 *     GreenPool pool = new GreenPool(100);
 *     for (int i = 0; i < 1_000; i++) {
 *         int n = i;
 *         pool.spawnN(() -> Eventlet.sleep(Duration.ofMillis(n % 10)));
 *     }
 *     pool.waitAll();
 *     return null;
 * });
 * }
 *
 * <ul>
 *   <li>{@link io.eventlet.Eventlet}: spawn, sleep, run, trampoline, and listen/connect/serve.</li>
 *   <li>{@link io.eventlet.GreenThread}, {@link io.eventlet.GreenThreadExit}: one green thread
 *       and how it is killed.</li>
 *   <li>{@link io.eventlet.Timeout}: a deadline raised at the green thread's blocking point.</li>
 *   <li>{@link io.eventlet.Hub}, {@link io.eventlet.Timer}: the event loop a green thread runs
 *       on, its callbacks, and the kinds of hub this JVM has ({@link io.eventlet.Hub#providers()}).</li>
 *   <li>{@link io.eventlet.GreenPool}, {@link io.eventlet.GreenPile}: bounded spawning.</li>
 *   <li>{@link io.eventlet.GreenThreadFactory}, {@link io.eventlet.GreenExecutor}: green threads
 *       for {@code java.util.concurrent} code (a {@code ThreadFactory}, an {@code ExecutorService}).</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Every public method may be called from any thread unless its Javadoc says otherwise. A
 * blocking method suspends a green caller (only that green thread waits; its hub runs the
 * others) and blocks a plain caller; on a hub's own thread (a {@link io.eventlet.Timer}
 * callback) it throws {@link java.lang.IllegalStateException}, since nothing may block there.
 * Green threads of one hub never run in parallel; green threads of different hubs do.
 *
 * <p>Everything here is a façade over the runtime in {@code io.eventlet.internal}, which is not
 * part of the API (the module does not export it).
 */
package io.eventlet;
