package io.eventlet.http;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FuzzChecks fails each kind of misbehaviour a fuzz test is there to catch, and passes the rest. */
class FuzzChecksTest {
    private static final FuzzChecks CHECKS = FuzzChecks.rejecting(HttpException.class, HttpException::status, 400, 413);
    private static final byte[] INPUT = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void aReturnAndAnAllowedRejectionPass() {
        CHECKS.check(INPUT, bytes -> { });
        CHECKS.check(INPUT, bytes -> {
            throw new HttpException(413, "too big");
        });
    }

    @Test
    void anotherExceptionOrStatusFails() {
        AssertionError npe = assertThrows(AssertionError.class, () -> CHECKS.check(INPUT, bytes -> {
            throw new NullPointerException("oops");
        }));
        assertTrue(npe.getMessage().contains("NullPointerException"), npe.getMessage());
        AssertionError status = assertThrows(AssertionError.class, () -> CHECKS.check(INPUT, bytes -> {
            throw new HttpException(500, "bug");
        }));
        assertTrue(status.getMessage().contains("status 500"), status.getMessage());
    }

    @Test
    void allocatingOverTheBoundFails() {
        FuzzChecks tight = CHECKS.allocationAtMost(64 * 1024, 16);
        byte[][] keep = new byte[1][];
        tight.check(INPUT, bytes -> keep[0] = new byte[16 * 1024]);   // a read buffer: within
        AssertionError e = assertThrows(AssertionError.class, () -> tight.check(INPUT, bytes -> keep[0] = new byte[1 << 20]));
        assertTrue(e.getMessage().contains("allocated"), e.getMessage());
    }

    @Test
    void aParseThatNeverEndsFailsWithItsStack() {
        FuzzChecks quick = CHECKS.timeLimit(Duration.ofMillis(200));
        AssertionError e = assertThrows(AssertionError.class, () -> quick.check(INPUT, bytes -> {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
        }));
        assertTrue(e.getMessage().contains("did not end"), e.getMessage());
        assertTrue(java.util.Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().startsWith(FuzzChecksTest.class.getName())),
                "the error carries the stuck worker's stack, which runs this test's lambda");
        CHECKS.check(INPUT, bytes -> { });   // a fresh worker serves the next input
    }

    @Test
    void aReaderThatLoopsOnEndOfStreamFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> CHECKS.check(INPUT, bytes -> {
            InputStream in = FuzzChecks.endingStream(bytes);
            while (true) {
                in.read();   // ignores -1
            }
        }));
        assertTrue(e.getMessage().contains("threw java.lang.AssertionError"), e.getMessage());
    }

    @Test
    void anEndingStreamHandsOutPiecesThenTheEnd() throws Exception {
        InputStream in = FuzzChecks.endingStream(INPUT, 3);
        byte[] b = new byte[100];
        assertEquals(3, in.read(b, 0, b.length));
        assertEquals(INPUT.length - 3, in.readAllBytes().length);
        assertEquals(-1, in.read());
    }

    @Test
    void describeShowsControlBytes() {
        assertEquals("4 bytes \"a\\r\\n\\x00\"", FuzzChecks.describe(new byte[] {'a', '\r', '\n', 0}));
    }
}
