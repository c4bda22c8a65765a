package io.eventlet.http;

import io.eventlet.http.internal.Http1;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * HTTP header fields in the order received or set; names compare without case. Not thread-safe.
 */
public final class HttpHeaders {
    // Names and values interleaved in one array: a request or response has a handful of fields,
    // and this is the per-request hot path of the server (two ArrayLists cost a visible share).
    private String[] fields = new String[16];
    private int count;   // fields in use: 2 per header

    /** An empty set of header fields. */
    public HttpHeaders() {
    }

    /**
     * Adds a field, keeping any with the same name.
     *
     * @param name the field's name
     * @param value its value
     * @return these headers
     * @throws IllegalArgumentException when the name is not a token or the value holds a control
     *     character or a character above U+00FF
     */
    public HttpHeaders add(String name, String value) {
        checkName(name);
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            // A char above 0xFF would be cut to its low byte on the wire (U+010D to CR): refused like CR itself.
            if (!Http1.isFieldChar(value.charAt(i))) {
                throw new IllegalArgumentException("header value of " + name + " contains a control character or a character"
                        + " outside ISO-8859-1 at index " + i);
            }
        }
        return addTrusted(name, value);
    }

    /** Adds a field the parser has already checked. */
    HttpHeaders addTrusted(String name, String value) {
        if (count == fields.length) {
            fields = java.util.Arrays.copyOf(fields, count * 2);
        }
        fields[count++] = name;
        fields[count++] = value;
        return this;
    }

    /**
     * Replaces every field named {@code name} with one.
     *
     * @param name the field's name
     * @param value its value
     * @return these headers
     * @throws IllegalArgumentException when the name is not a token or the value holds a control
     *     character or a character above U+00FF
     */
    public HttpHeaders set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /**
     * Removes every field named {@code name}.
     *
     * @param name the field's name, in any case
     * @return these headers
     */
    public HttpHeaders remove(String name) {
        int w = 0;
        for (int r = 0; r < count; r += 2) {
            if (!fields[r].equalsIgnoreCase(name)) {
                fields[w] = fields[r];
                fields[w + 1] = fields[r + 1];
                w += 2;
            }
        }
        java.util.Arrays.fill(fields, w, count, null);
        count = w;
        return this;
    }

    /**
     * The first value of {@code name}, or null.
     *
     * @param name the field's name, in any case
     * @return the value of the first field so named
     */
    public String first(String name) {
        for (int i = 0; i < count; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /**
     * Every value of {@code name}, in order.
     *
     * @param name the field's name, in any case
     * @return the values, empty when there is no such field
     */
    public List<String> all(String name) {
        List<String> out = null;
        for (int i = 0; i < count; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(fields[i + 1]);
            }
        }
        return out == null ? List.of() : out;
    }

    /**
     * Whether a field named {@code name} is present.
     *
     * @param name the field's name, in any case
     * @return true when at least one field has that name
     */
    public boolean contains(String name) {
        return first(name) != null;
    }

    /**
     * True when a comma-separated field {@code name} lists {@code token} (case-insensitive).
     *
     * @param name the field's name, such as {@code Connection}
     * @param token the token to look for, such as {@code close}
     * @return whether any field so named lists the token
     */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < count; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                String v = fields[i + 1];
                if (v.equalsIgnoreCase(token)) {
                    return true;
                }
                for (String part : v.split(",")) {
                    if (part.strip().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The number of fields, counting each repeated name once per field.
     *
     * @return the number of fields
     */
    public int size() {
        return count / 2;
    }

    /**
     * Calls {@code action} with each field's name and value, in order.
     *
     * @param action receives each name and value
     */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < count; i += 2) {
            action.accept(fields[i], fields[i + 1]);
        }
    }

    static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Http1.isTchar(name.charAt(i))) {
                throw new IllegalArgumentException("invalid character in header name: " + name);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        forEach((n, v) -> b.append(n).append(": ").append(v).append('\n'));
        return b.toString();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
