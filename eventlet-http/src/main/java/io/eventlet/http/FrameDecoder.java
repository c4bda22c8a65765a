package io.eventlet.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Reads RFC 6455 frames from a stream and reassembles data messages, without a socket (so it
 * can be tested and fuzzed on bytes alone).
 *
 * <p>Memory follows what has arrived, never what a header claims: a frame's payload is read
 * in reads of at most {@link #CHUNK} bytes into a message buffer that starts at
 * {@link #FIRST} bytes and doubles, but never beyond what the message may still need; the
 * buffer holds at most {@code maxMessageSize} bytes and is dropped once its message has been
 * handed out. The size limit is checked against the claim plus what is buffered before any of
 * the payload is read, so an oversized claim is refused (1009) with its payload unread.
 *
 * <p>Violations throw {@link WebSocketException} with the close code to send (1002 protocol
 * error, 1007 invalid UTF-8, 1009 too big); the caller sends it. The end of the stream between
 * frames is {@code null}; inside a frame, {@link EOFException}. One thread at a time.
 */
final class FrameDecoder {
    /** The most read into a message in one call, so that one read never asks for a huge array. */
    static final int CHUNK = 16 * 1024;
    /** The message buffer's first size: a claim costs this much until its bytes arrive. */
    static final int FIRST = 1024;

    /** What {@link #next()} returns. */
    sealed interface Event permits Data, Ping, Pong, Close {
    }

    /** A whole data message, reassembled. */
    record Data(WebSocket.Message message) implements Event {
    }

    record Ping(byte[] payload) implements Event {
    }

    record Pong(byte[] payload) implements Event {
    }

    /** A close frame: its code (1005 when it had no body) and reason (validated). */
    record Close(int code, String reason) implements Event {
    }

    private final InputStream in;
    private final boolean client;   // true: we are the client, frames must not be masked
    private int maxMessageSize;
    private LongConsumer headerListener;   // for tests: a data frame's claimed length, once accepted

    private final byte[] head = new byte[8];
    private final byte[] mask = new byte[4];
    private byte[] message;         // the message being reassembled; null between messages
    private int size;               // bytes of it buffered
    private boolean inMessage;      // a first fragment has arrived, its final one not yet
    private boolean text;

    FrameDecoder(InputStream in, boolean client, int maxMessageSize) {
        this.in = in;
        this.client = client;
        maxMessageSize(maxMessageSize);
    }

    void maxMessageSize(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive, got " + bytes);
        }
        this.maxMessageSize = bytes;
    }

    /** Called with each data frame's claimed length once its header passed the checks, before its payload is read. */
    void headerListener(LongConsumer listener) {
        this.headerListener = listener;
    }

    /** The message buffer's capacity now (0 when none is held). */
    int bufferCapacity() {
        return message == null ? 0 : message.length;
    }

    /**
     * The next message or control frame.
     *
     * @return null when the stream ends between frames
     * @throws WebSocketException on a violation (the caller sends its code and closes)
     * @throws EOFException when the stream ends inside a frame
     */
    Event next() throws IOException {
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean masked = (b1 & 0x80) != 0;
            if ((b0 & 0x70) != 0) {
                throw new WebSocketException(1002, "reserved bits set without an extension");
            }
            boolean control = (opcode & 0x8) != 0;
            if (opcode != 0x0 && opcode != 0x1 && opcode != 0x2 && opcode != 0x8 && opcode != 0x9 && opcode != 0xA) {
                throw new WebSocketException(1002, "unknown opcode " + opcode);
            }
            if (masked == client) {
                throw new WebSocketException(1002, client ? "a masked frame from the server" : "an unmasked frame from the client");
            }
            long len = readLength(b1 & 0x7F);
            if (control && (len > 125 || !fin)) {
                throw new WebSocketException(1002, "control frame fragmented or longer than 125 bytes");
            }
            if (!control) {
                if (opcode == 0x0 && !inMessage) {
                    throw new WebSocketException(1002, "a continuation frame with no message to continue");
                }
                if (opcode != 0x0 && inMessage) {
                    throw new WebSocketException(1002, "a new message before the last one's final fragment");
                }
                // Checked before reading any payload, against the claim plus what is buffered.
                if (len > maxMessageSize - (long) size) {
                    throw new WebSocketException(1009, "message larger than " + maxMessageSize + " bytes");
                }
            }
            if (masked) {
                readFully(mask, 4);
            }
            if (control) {
                byte[] payload = new byte[(int) len];   // at most 125 bytes, checked above
                readFully(payload, payload.length);
                unmask(payload, 0, payload.length, 0, masked);
                switch (opcode) {
                    case 0x8 -> {
                        return close(payload);
                    }
                    case 0x9 -> {
                        return new Ping(payload);
                    }
                    default -> {
                        return new Pong(payload);
                    }
                }
            }
            if (opcode != 0x0) {
                inMessage = true;
                text = opcode == 0x1;
            }
            if (headerListener != null) {
                headerListener.accept(len);
            }
            readPayload(len, masked);
            if (fin) {
                return new Data(finish());
            }
        }
    }

    /** The payload length after the 7-bit field: 126 and 127 announce 16 and 64 bits, each used only when needed. */
    private long readLength(int len7) throws IOException {
        if (len7 < 126) {
            return len7;
        }
        if (len7 == 126) {
            readFully(head, 2);
            int len = ((head[0] & 0xff) << 8) | (head[1] & 0xff);
            if (len < 126) {
                // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length".
                throw new WebSocketException(1002, "a 16-bit length of " + len + " (not the minimal encoding)");
            }
            return len;
        }
        readFully(head, 8);
        long len = 0;
        for (int i = 0; i < 8; i++) {
            len = (len << 8) | (head[i] & 0xff);
        }
        if (len < 0) {
            throw new WebSocketException(1002, "a 64-bit length with its most significant bit set");
        }
        if (len <= 0xFFFF) {
            throw new WebSocketException(1002, "a 64-bit length of " + len + " (not the minimal encoding)");
        }
        return len;
    }

    /** Reads {@code len} payload bytes into the message, growing it only as bytes arrive. */
    private void readPayload(long len, boolean masked) throws IOException {
        long left = len;
        int maskAt = 0;
        while (left > 0) {
            if (message == null) {
                message = new byte[(int) Math.min(left, FIRST)];
            } else if (size == message.length) {
                // Doubles (amortised O(n) copying) but never past what this frame still needs;
                // size + left <= maxMessageSize was checked, so neither is the buffer.
                long grown = Math.min((long) size + left, Math.max(message.length * 2L, FIRST));
                message = Arrays.copyOf(message, (int) grown);
            }
            int want = (int) Math.min(Math.min(left, message.length - size), CHUNK);
            int n = in.read(message, size, want);
            if (n < 0) {
                throw new EOFException("connection ended inside a WebSocket frame");
            }
            unmask(message, size, n, maskAt, masked);
            maskAt = (maskAt + n) & 3;
            size += n;
            left -= n;
        }
    }

    private WebSocket.Message finish() throws WebSocketException {
        byte[] data = message == null ? new byte[0] : size == message.length ? message : Arrays.copyOf(message, size);
        message = null;   // an idle connection holds no message buffer
        size = 0;
        inMessage = false;
        if (text && !validUtf8(data, 0, data.length)) {
            throw new WebSocketException(1007, "invalid UTF-8 in a text message");
        }
        return new WebSocket.Message(text, data);
    }

    private Close close(byte[] payload) throws WebSocketException {
        if (payload.length == 0) {
            return new Close(1005, "");
        }
        if (payload.length == 1) {
            throw new WebSocketException(1002, "a close frame with a one-byte body");
        }
        int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        if (!validUtf8(payload, 2, payload.length - 2)) {
            throw new WebSocketException(1007, "invalid UTF-8 in the close reason");
        }
        if (!validCloseCode(code)) {
            throw new WebSocketException(1002, "invalid close code " + code);
        }
        return new Close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /** The codes a peer may put in a close frame (RFC 6455 §7.4; 1004-1006 and 1015 are never sent). */
    static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void unmask(byte[] b, int off, int n, int maskAt, boolean masked) {
        if (masked) {
            for (int i = 0; i < n; i++) {
                b[off + i] ^= mask[(maskAt + i) & 3];
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection ended inside a WebSocket frame");
        }
        return b;
    }

    private void readFully(byte[] b, int len) throws IOException {
        int off = 0;
        while (off < len) {
            int n = in.read(b, off, len - off);
            if (n < 0) {
                throw new EOFException("connection ended inside a WebSocket frame");
            }
            off += n;
        }
    }

    static boolean validUtf8(byte[] data, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
