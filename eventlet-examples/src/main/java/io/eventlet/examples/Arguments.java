package io.eventlet.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The launcher's converters for values a bad argument would otherwise turn into a stack trace
 * when the command starts: picocli reports a {@link TypeConversionException} as a usage error
 * (exit 2) that names the option and the value.
 */
final class Arguments {
    private Arguments() {
    }

    /** The highest TCP port. */
    static final int MAX_PORT = 65535;

    /** A port to listen on: 0 (the system picks one) to 65535. */
    static final class ListenPort implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return port(value, 0, "'" + value + "' is not a port from 0 (any free one) to " + MAX_PORT);
        }
    }

    /**
     * A {@code HOST:PORT} to connect to, with a port from 1 to 65535; an IPv6 host may be
     * bracketed ({@code [::1]:80}). Unresolved: the name is looked up when connecting.
     */
    static final class HostPort implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            String form = "'" + value + "' is not HOST:PORT with a port from 1 to " + MAX_PORT;
            int colon = value.lastIndexOf(':');
            if (colon <= 0) {
                throw new TypeConversionException(form);
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty() || host.contains("[") || host.contains("]")) {
                throw new TypeConversionException(form);
            }
            return InetSocketAddress.createUnresolved(host, port(value.substring(colon + 1), 1, form));
        }
    }

    /** An address to listen on, a literal or a name this machine resolves. */
    static final class BindAddress implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            try {
                return InetAddress.getByName(value);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("'" + value + "' is not an address, nor a name this machine resolves");
            }
        }
    }

    /** A positive ISO-8601 duration such as {@code PT5S} or {@code PT0.5S}. */
    static final class PositiveIsoDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration like PT5S or PT0.5S");
            }
            if (d.isNegative() || d.isZero()) {
                throw new TypeConversionException("'" + value + "' is not a positive duration");
            }
            return d;
        }
    }

    /** A count of at least 1: connections, concurrency, pages. */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return count(value, 1);
        }
    }

    /** A count of at least 0. */
    static final class AtLeastZero implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return count(value, 0);
        }
    }

    private static int count(String text, int min) {
        String message = "'" + text + "' is not a whole number of at least " + min;
        try {
            int n = Integer.parseInt(text.strip());
            if (n < min) {
                throw new TypeConversionException(message);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new TypeConversionException(message);
        }
    }

    private static int port(String text, int min, String message) {
        int p;
        try {
            p = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException(message);
        }
        if (p < min || p > MAX_PORT) {
            throw new TypeConversionException(message);
        }
        return p;
    }
}
