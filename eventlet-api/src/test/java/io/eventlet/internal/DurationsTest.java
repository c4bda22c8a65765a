package io.eventlet.internal;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({
        "7ns, 7",
        "500us, 500000",
        "500µs, 500000",
        "100ms, 100000000",
        "250, 250000000",
        "2s, 2000000000",
        "3m, 180000000000",
        "' 40 MS ', 40000000",
        "0, 0",
    })
    void parsesEveryUnit(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), Durations.parse("eventlet.test", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abc", "-5ms", "1.5s", "10h", "ms", "5 ms x"})
    void rejectsWhatIsNotADurationNamingThePropertyAndTheForms(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("eventlet.debug.blocking", text));
        assertTrue(e.getMessage().contains("eventlet.debug.blocking=" + text), e.getMessage());
        assertTrue(e.getMessage().contains("ms"), e.getMessage());
    }

    @Test
    void rejectsNull() {
        var e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("eventlet.x", null));
        assertTrue(e.getMessage().contains("eventlet.x"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "9223372036854775807us", "9223372036854775807m"})
    void tooLargeIsAnIllegalArgumentNamingTheProperty(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("eventlet.debug.blocking", text));
        assertTrue(e.getMessage().contains("eventlet.debug.blocking"), e.getMessage());
    }
}
