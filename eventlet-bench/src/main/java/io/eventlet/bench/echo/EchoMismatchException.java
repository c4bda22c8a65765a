package io.eventlet.bench.echo;

import java.io.IOException;

/** The server echoed a byte that was not sent: the run's figures cannot be trusted, so it aborts. */
final class EchoMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    EchoMismatchException(String message) {
        super(message);
    }
}
