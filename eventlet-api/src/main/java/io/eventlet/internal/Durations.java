package io.eventlet.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations of configuration properties: {@code 100ms}, {@code 2s}, {@code 500us}, {@code 250} (ms). */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d+)\\s*(ns|us|µs|ms|s|m)?\\s*");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming {@code what} and the accepted forms
     */
    public static Duration parse(String what, String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(what + "=" + text + " is not a duration: use a number with ns, us, ms, s or m (a bare number means ms), e.g. 100ms");
        }
        String unit = m.group(2) == null ? "ms" : m.group(2);
        try {
            long n = Long.parseLong(m.group(1));
            return switch (unit) {
                case "ns" -> Duration.ofNanos(n);
                case "us", "µs" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(what + "=" + text + " is too large for a duration", e);
        }
    }
}
