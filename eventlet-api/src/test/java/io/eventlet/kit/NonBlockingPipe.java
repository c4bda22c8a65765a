package io.eventlet.kit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/** A pipe whose two ends are in non-blocking mode, as green I/O needs; closing it closes both. */
record NonBlockingPipe(Pipe.SourceChannel source, Pipe.SinkChannel sink) implements AutoCloseable {
    static NonBlockingPipe open() throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        return new NonBlockingPipe(pipe.source(), pipe.sink());
    }

    /** Writes {@code bytes} to the sink (a pipe's buffer takes a few bytes without blocking). */
    void write(byte... bytes) throws IOException {
        sink.write(ByteBuffer.wrap(bytes));
    }

    @Override
    public void close() throws IOException {
        try (source; sink) {
            // closes both ends, even if one fails
        }
    }
}
