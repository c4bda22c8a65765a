package io.eventlet.bench.echo;

/**
 * An echo server that is listening. Thread-safe: {@link #close()} may be called from any thread,
 * and more than once.
 */
interface RunningEchoServer extends AutoCloseable {
    /** The port it listens on (every interface). */
    int port();

    /** Stops accepting, closes every connection and stops the server's threads. */
    @Override
    void close();
}
