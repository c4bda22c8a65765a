package io.eventlet.sync;

/** A timed {@link LightQueue#put} found no room in time: eventlet's {@code queue.Full}. */
public final class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A timed put that found no room in time.
     *
     * @param message what waited and how long
     */
    public QueueFullException(String message) {
        super(message);
    }
}
