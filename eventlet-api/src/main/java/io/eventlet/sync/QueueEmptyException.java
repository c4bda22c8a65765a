package io.eventlet.sync;

/** A timed {@link LightQueue#get} found no item in time: eventlet's {@code queue.Empty}. */
public final class QueueEmptyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A timed get that found no item in time.
     *
     * @param message what waited and how long
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
