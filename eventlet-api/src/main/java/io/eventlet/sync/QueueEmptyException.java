package io.eventlet.sync;

/** A timed {@link LightQueue#get} found no item in time: eventlet's {@code queue.Empty}. */
public final class QueueEmptyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueEmptyException(String message) {
        super(message);
    }
}
