package io.eventlet.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary bytes into the frame decoder, as a server and as a client. A plain build runs the
 * seeds in {@code FrameDecoderFuzzTestInputs/decode/} (and any findings saved there) as a
 * regression test; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>Each input must end in one of three ways: messages and control frames until the end of
 * the stream; a {@link WebSocketException} with a code a receiver may send for what it read
 * (1002, 1007, 1009); or an {@link EOFException} with every byte consumed (a truncated frame).
 * On the way, the message buffer never exceeds the limit, every read asks for at least one byte
 * (so with a stream that always yields one, the work is bounded by the input's length), and the
 * data handed out respects the rules (size, UTF-8 of text, close codes).
 */
class FrameDecoderFuzzTest {
    private static final int MAX = 64 * 1024;
    private static final Set<Integer> CODES = Set.of(1002, 1007, 1009);

    // JUnit's 60 s default would stop a fuzzing run (JAZZER_FUZZ=1) half way, and libFuzzer then
    // saves the input it was on as a "crash"; one seed takes milliseconds.
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void decode(byte[] input) throws IOException {
        decode(input, false);
        decode(input, true);
    }

    /** Counts reads and checks the decoder's buffer at each one. */
    private static final class Watched extends ByteArrayInputStream {
        FrameDecoder decoder;
        int reads;

        Watched(byte[] b) {
            super(b);
        }

        private void check(int len) {
            if (len < 1) {
                throw new AssertionError("a read of " + len + " bytes: no progress");
            }
            if (++reads > buf.length + 2) {
                throw new AssertionError(reads + " reads of a " + buf.length + "-byte input");
            }
            if (decoder.bufferCapacity() > MAX) {
                throw new AssertionError("a buffer of " + decoder.bufferCapacity() + " bytes with a limit of " + MAX);
            }
        }

        @Override
        public synchronized int read() {
            check(1);
            return super.read();
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            check(len);
            return super.read(b, off, len);
        }
    }

    private static void decode(byte[] input, boolean client) throws IOException {
        Watched in = new Watched(input);
        FrameDecoder d = new FrameDecoder(in, client, MAX);
        in.decoder = d;
        try {
            for (FrameDecoder.Event e; (e = d.next()) != null; ) {
                switch (e) {
                    case FrameDecoder.Data data -> {
                        byte[] b = data.message().data();
                        if (b.length > MAX) {
                            throw new AssertionError("a message of " + b.length + " bytes");
                        }
                        if (data.message().isText() && !FrameDecoder.validUtf8(b, 0, b.length)) {
                            throw new AssertionError("a text message that is not UTF-8");
                        }
                        check(d.bufferCapacity() == 0, "a buffer kept after a message");
                    }
                    case FrameDecoder.Close c -> {
                        if (c.code() != 1005 && !FrameDecoder.validCloseCode(c.code())) {
                            throw new AssertionError("close code " + c.code() + " let through");
                        }
                    }
                    case FrameDecoder.Ping p -> check(p.payload().length <= 125, "a ping over 125 bytes");
                    case FrameDecoder.Pong p -> check(p.payload().length <= 125, "a pong over 125 bytes");
                }
            }
        } catch (WebSocketException e) {
            check(CODES.contains(e.code()), "close code " + e.code() + " for " + e.getMessage());
        } catch (EOFException e) {
            check(in.available() == 0, "an EOF with " + in.available() + " bytes unread");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
