package io.eventlet.bench.echo;

import java.util.Locale;

/**
 * One server to measure, as named by {@code --servers}: {@code green:HUB}, {@code jdk},
 * {@code netty-epoll} or {@code netty-nio}.
 *
 * @param hub the hub name for green servers, null otherwise
 */
record ServerSpec(ServerKind kind, String hub) {
    /** @throws IllegalArgumentException with the accepted forms */
    static ServerSpec parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("green:") && t.length() > "green:".length()) {
            return new ServerSpec(ServerKind.GREEN, t.substring("green:".length()));
        }
        if (t.equals("green")) {
            throw new IllegalArgumentException("server 'green' needs a hub: green:selector, green:epoll or green:poll");
        }
        try {
            return new ServerSpec(ServerKind.parse(t), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown server '" + s + "'; expected green:HUB (e.g. green:epoll), jdk, netty-epoll or netty-nio");
        }
    }

    String label() {
        return kind == ServerKind.GREEN ? "green:" + hub : kind.label;
    }
}
