/**
 * Sockets and TLS for green threads: eventlet's {@code green.socket}, {@code green.ssl} and
 * {@code convenience} (listen, connect, serve). Every operation tries the non-blocking call first
 * and suspends only the calling green thread when it would block; a plain thread blocks as with
 * {@code java.net} sockets.
 *
 * {@snippet :
 * Eventlet.run(() -> {
 *     GreenServerSocket server = Eventlet.listen(7000);
 *     Eventlet.serve(server, conn -> {            // one green thread per connection
 *         LineReader in = new LineReader(conn.inputStream(), 8192);
 *         for (String line; (line = in.readLine()) != null; ) {
 *             conn.writeAll((line + "\n").getBytes(StandardCharsets.UTF_8));
 *         }
 *     });
 *     return null;
 * });
 * }
 *
 * <ul>
 *   <li>{@link io.eventlet.net.GreenSocket}, {@link io.eventlet.net.GreenServerSocket},
 *       {@link io.eventlet.net.GreenDatagramSocket}: TCP, Unix-domain and UDP over
 *       {@code java.nio} channels in non-blocking mode, with eventlet's per-socket timeout.</li>
 *   <li>{@link io.eventlet.net.GreenSslSocket}: TLS as an {@code SSLEngine} over a green socket,
 *       on every hub.</li>
 *   <li>{@link io.eventlet.net.ConnectionHandler}, {@link io.eventlet.net.StopServe},
 *       {@link io.eventlet.net.Server}, {@link io.eventlet.net.MultiHubServer}: accept loops that
 *       never die (they back off on descriptor exhaustion), on one hub or one per core, with a
 *       graceful {@code shutdown(deadline)}.</li>
 *   <li>{@link io.eventlet.net.LineReader}: bounded line reading.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * A socket's waiters live on one hub: the first green thread that waits on a socket binds it to
 * its hub, and a green thread of another hub that waits on it gets
 * {@link java.lang.IllegalStateException}. At most one green thread may wait to read and one to
 * write at a time (eventlet's "second simultaneous read" rule). {@code close()} is safe from any
 * thread and wakes the waiters with {@link java.nio.channels.AsynchronousCloseException}.
 */
package io.eventlet.net;
