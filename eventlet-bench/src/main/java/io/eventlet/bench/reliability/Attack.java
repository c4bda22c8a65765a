package io.eventlet.bench.reliability;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The hostile clients of {@code ./eventlet bench reliability}, in the order they run. */
enum Attack {
    /** Request heads sent one byte at a time, slower than any reasonable head deadline. */
    SLOWLORIS("slowloris"),
    /** A whole head, then a body at 1 byte/s. */
    SLOW_BODY("slow-body"),
    /** Keep-alive connections left idle after one request each. */
    IDLE_KEEPALIVE("idle-keepalive"),
    /** Requests sent as fast as the server takes them, responses never read. */
    PIPELINER("pipeliner"),
    /** A WebSocket frame header claiming a 16 MiB payload, then a trickle. */
    WEBSOCKET_16MIB("websocket-16mib"),
    /** More clients than the server's {@code ulimit -n}, then all closed. */
    FD_EXHAUSTION("fd-exhaustion");

    private final String label;

    Attack(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static Attack byLabel(String label) {
        for (Attack a : values()) {
            if (a.label.equals(label)) {
                return a;
            }
        }
        throw new ReliabilityOptions.UsageException("unknown attack '" + label + "'; there are "
                + Arrays.stream(values()).map(Attack::label).collect(Collectors.joining(", ")));
    }
}
