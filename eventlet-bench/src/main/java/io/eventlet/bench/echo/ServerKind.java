package io.eventlet.bench.echo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The echo servers the benchmark compares, by the names used on the command line. */
enum ServerKind {
    /** eventlet-java: green threads on a hub, one per connection. */
    GREEN("green"),
    /** Plain JDK virtual threads on the default scheduler with java.net sockets, one per connection. */
    JDK("jdk"),
    /** Netty with its native epoll transport. */
    NETTY_EPOLL("netty-epoll"),
    /** Netty with its java.nio Selector transport. */
    NETTY_NIO("netty-nio");

    final String label;

    ServerKind(String label) {
        this.label = label;
    }

    boolean isNetty() {
        return this == NETTY_EPOLL || this == NETTY_NIO;
    }

    /** @throws IllegalArgumentException naming the kinds there are */
    static ServerKind parse(String s) {
        String wanted = s.strip().toLowerCase(Locale.ROOT);
        for (ServerKind k : values()) {
            if (k.label.equals(wanted)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown server kind '" + s + "'; expected one of " + labels());
    }

    static String labels() {
        return Arrays.stream(values()).map(k -> k.label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label;
    }
}
