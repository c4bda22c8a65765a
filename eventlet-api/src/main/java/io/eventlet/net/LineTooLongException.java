package io.eventlet.net;

import java.io.IOException;

/** A line passed the limit of its {@link LineReader} before it ended. */
public final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The limit the line passed, in bytes. */
    private final int limit;

    LineTooLongException(int limit) {
        super("line longer than " + limit + " bytes");
        this.limit = limit;
    }

    /**
     * The reader's limit, in bytes.
     *
     * @return the reader's {@link LineReader#maxLineBytes()}
     */
    public int limit() {
        return limit;
    }
}
