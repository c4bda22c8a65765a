package io.eventlet.http.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eventlet.http.FuzzChecks;
import io.eventlet.http.HttpException;

/**
 * Fuzzes the chunked request body decoder ({@link BodyInput} over {@link HttpInput}): whatever
 * the bytes, it returns the body, or refuses with 400 (malformed), 413 (over the limit) or 431
 * (trailers too long or too many), within the allocation bound and time of {@link FuzzChecks}.
 *
 * <p>In {@code mvn verify} the seeds in {@code ChunkedBodyFuzzTestInputs/chunkedBody/} (and any
 * finding committed there) run as test cases; {@code ./eventlet bench fuzz --target
 * ChunkedBodyFuzzTest} fuzzes it.
 */
class ChunkedBodyFuzzTest {
    /** Small, so that the fuzzer reaches the 413 path with inputs of a few bytes. */
    private static final long BODY_LIMIT = 4096;

    private static final FuzzChecks CHECKS = FuzzChecks.rejecting(HttpException.class, HttpException::status, 400, 413, 431);

    @FuzzTest(maxDuration = "30s")
    void chunkedBody(byte[] input) {
        CHECKS.check(input, bytes -> chunked(FuzzChecks.endingStream(bytes)).readAllBytes());
    }

    /** The same bytes arriving a few at a time, as a slow peer sends them: lines split across reads. */
    @FuzzTest(maxDuration = "30s")
    void chunkedBodyInPieces(byte[] input) {
        CHECKS.check(input, bytes -> chunked(FuzzChecks.endingStream(bytes, 3)).readAllBytes());
    }

    private static BodyInput chunked(java.io.InputStream in) {
        return new BodyInput(new HttpInput(in), Http1.Framing.CHUNKED, BODY_LIMIT, 400, 413, "request body", null, null);
    }
}
