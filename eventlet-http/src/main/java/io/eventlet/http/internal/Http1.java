package io.eventlet.http.internal;

import io.eventlet.http.HttpException;
import io.eventlet.http.HttpHeaders;
import java.io.IOException;
import java.util.List;

/**
 * The HTTP/1.1 grammar (RFC 9110 and RFC 9112), once, for the server, the client and the
 * WebSocket handshake: the request and status lines, header field lines, message framing
 * (Content-Length, Transfer-Encoding), chunk-size lines and the IMF-fixdate. Every function
 * either returns a well-formed part or throws {@link HttpException} with the status the caller
 * asked for (a server answers it; a client reports it).
 *
 * <h2>Choices where RFC 9112 leaves one</h2>
 * <ul>
 * <li>Whitespace is SP and HTAB only (RFC 9110 §5.6.3): no other control byte is trimmed or
 *     skipped anywhere, so {@code Content-Length: \x0b5} is a 400, not a 5. NUL and every other
 *     CTL but HTAB are rejected in field values, the target and the reason phrase.</li>
 * <li>A bare LF ends the start line and field lines (§2.2 allows it); a bare CR is always an error.
 *     The chunked framing requires CRLF: a body parsed one way by us and another by a proxy in
 *     front is how requests are smuggled.</li>
 * <li>One space between the parts of the request line; no whitespace between a field name and its
 *     colon (§5.1); obsolete line folding is rejected (§5.2).</li>
 * <li>Both Content-Length and Transfer-Encoding in one message: rejected (§6.1 allows processing it
 *     with the coding, but it is the signature of a smuggling attempt).</li>
 * <li>A Transfer-Encoding whose final coding is not {@code chunked} is a 400 for a request
 *     (§6.3); {@code chunked} applied twice is a 400; another coding before {@code chunked}
 *     (we decode none) is a 501.</li>
 * <li>A request target holds visible ASCII only (browsers and clients percent-encode the rest);
 *     a {@code %} must start a valid escape; a fragment ({@code #}) is rejected.</li>
 * <li>{@code HTTP/1.x} with x &gt; 1 is read and answered as 1.1 (§2.3: the minor version is
 *     compatible); another major version is a 505.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class Http1 {
    private Http1() {
    }

    /** How large a head may be: its start line, one field line, all of it, and the number of fields. */
    public record Limits(int maxStartLine, int maxFieldLine, int maxHead, int maxFields) {
        /** A server's: 8 KiB lines, 64 KiB heads, 100 fields (Apache's LimitRequestFields). */
        public static final Limits SERVER = new Limits(8 * 1024, 8 * 1024, 64 * 1024, 100);
        /** A client's: servers send larger heads (cookies, CSPs); still bounded. */
        public static final Limits CLIENT = new Limits(8 * 1024, 16 * 1024, 256 * 1024, 200);
    }

    /** Receives each parsed field. */
    @FunctionalInterface
    public interface FieldSink {
        void field(String name, String value);
    }

    /** The four forms of a request target (RFC 9112 §3.2). */
    public enum TargetForm { ORIGIN, ABSOLUTE, AUTHORITY, ASTERISK }

    /**
     * A parsed request line. {@code path} and {@code query} are those of the target whatever its
     * form ({@code query} null when absent); {@code authority} is the target's authority in the
     * absolute and authority forms, else null.
     */
    public record RequestLine(String method, String target, TargetForm form, String path, String query, String authority,
                              boolean http11) {
    }

    /** A parsed status line: the version's minor number (0 or 1), the status and the reason. */
    public record StatusLine(boolean http11, int status, String reason) {
    }

    /** How a message's body is framed: {@code length} bytes, chunked, or (-1) until the connection ends. */
    public record Framing(long length, boolean chunked) {
        public static final Framing NONE = new Framing(0, false);
        public static final Framing UNTIL_CLOSE = new Framing(-1, false);
        static final Framing CHUNKED = new Framing(0, true);
    }

    // ---- characters -----------------------------------------------------------------------

    /** RFC 9110 §5.6.2 tchar. */
    public static boolean isTchar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /** A byte allowed inside a field value or reason phrase: VCHAR, obs-text, SP, HTAB. */
    public static boolean isFieldChar(int c) {
        return (c >= 0x20 && c != 0x7f && c <= 0xff) || c == '\t';
    }

    private static boolean isWs(int c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** True when {@code s} is a non-empty token. */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code s[from, to)} without leading and trailing SP / HTAB. */
    private static String trimOws(String s, int from, int to) {
        while (from < to && isWs(s.charAt(from))) {
            from++;
        }
        while (to > from && isWs(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    // ---- start lines ----------------------------------------------------------------------

    /** Parses a request line (400 when malformed, 505 for another major version). */
    public static RequestLine parseRequestLine(String line) throws HttpException {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw new HttpException(400, "malformed request line");
        }
        String method = line.substring(0, sp1);
        if (!isToken(method)) {
            throw new HttpException(400, "malformed method");
        }
        String version = line.substring(sp2 + 1);
        boolean http11 = requestVersion(version);
        String target = line.substring(sp1 + 1, sp2);
        if (target.isEmpty()) {
            throw new HttpException(400, "empty request target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw new HttpException(400, "invalid character in the request target");
            }
            if (c == '%' && (i + 2 >= target.length() || !isHex(target.charAt(i + 1)) || !isHex(target.charAt(i + 2)))) {
                throw new HttpException(400, "malformed percent-encoding in the request target");
            }
        }
        if (target.charAt(0) == '/') {
            int q = target.indexOf('?');
            return new RequestLine(method, target, TargetForm.ORIGIN, q < 0 ? target : target.substring(0, q),
                    q < 0 ? null : target.substring(q + 1), null, http11);
        }
        if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw new HttpException(400, "the asterisk form is for OPTIONS only");
            }
            return new RequestLine(method, target, TargetForm.ASTERISK, "*", null, null, http11);
        }
        if (method.equals("CONNECT")) {
            if (!validAuthority(target, true)) {
                throw new HttpException(400, "CONNECT needs host:port as its target");
            }
            return new RequestLine(method, target, TargetForm.AUTHORITY, null, null, target, http11);
        }
        return absoluteForm(method, target, http11);
    }

    private static RequestLine absoluteForm(String method, String target, boolean http11) throws HttpException {
        int colon = target.indexOf(':');
        if (colon <= 0 || !target.startsWith("//", colon + 1)) {
            throw new HttpException(400, "the request target is neither a path nor an absolute URI");
        }
        String scheme = target.substring(0, colon);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw new HttpException(400, "not an http or https URI: " + scheme);
        }
        int start = colon + 3;
        int end = start;
        while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
            end++;
        }
        String authority = target.substring(start, end);
        if (authority.isEmpty() || authority.indexOf('@') >= 0 || !validAuthority(authority, false)) {
            throw new HttpException(400, "invalid authority in the request target");
        }
        String rest = target.substring(end);
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        return new RequestLine(method, target, TargetForm.ABSOLUTE, path.isEmpty() ? "/" : path,
                q < 0 ? null : rest.substring(q + 1), authority, http11);
    }

    /** HTTP/1.0 false, HTTP/1.1 (and 1.2-1.9, answered as 1.1) true. */
    private static boolean requestVersion(String v) throws HttpException {
        if (v.length() != 8 || !v.startsWith("HTTP/") || !isDigit(v.charAt(5)) || v.charAt(6) != '.' || !isDigit(v.charAt(7))) {
            throw new HttpException(400, "malformed HTTP version");
        }
        if (v.charAt(5) != '1') {
            throw new HttpException(505, "HTTP version " + v + " is not supported");
        }
        return v.charAt(7) != '0';
    }

    /** Parses a status line; {@code status} for malformed ones (a client's 502). */
    public static StatusLine parseStatusLine(String line, int status) throws HttpException {
        // HTTP-version SP 3DIGIT [SP reason-phrase]: the space before an empty reason is often left out
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || !isDigit(line.charAt(7)) || line.charAt(8) != ' '
                || !isDigit(line.charAt(9)) || !isDigit(line.charAt(10)) || !isDigit(line.charAt(11))
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new HttpException(status, "malformed status line: " + printable(line));
        }
        int code = (line.charAt(9) - '0') * 100 + (line.charAt(10) - '0') * 10 + (line.charAt(11) - '0');
        if (code < 100) {
            throw new HttpException(status, "status out of range: " + printable(line));
        }
        String reason = line.length() > 13 ? line.substring(13) : "";
        for (int i = 0; i < reason.length(); i++) {
            if (!isFieldChar(reason.charAt(i))) {
                throw new HttpException(status, "control character in the reason phrase");
            }
        }
        return new StatusLine(line.charAt(7) != '0', code, reason);
    }

    // ---- fields ---------------------------------------------------------------------------

    /**
     * Reads field lines up to the empty line that ends them, into {@code sink}.
     *
     * @param headBytes bytes of the head so far (the start line)
     * @param status the status of a malformed field (400 for a server)
     * @param tooLarge the status of a head over the limits (431 for a server)
     */
    public static void readFields(HttpInput in, Limits limits, int headBytes, int status, int tooLarge, FieldSink sink)
            throws IOException {
        int fields = 0;
        while (true) {
            String h = in.readLine(limits.maxFieldLine(), tooLarge, status, "header line", true);
            if (h == null) {
                throw new HttpException(status, "connection ended in the headers");
            }
            if (h.isEmpty()) {
                return;
            }
            headBytes += h.length() + 2;
            if (headBytes > limits.maxHead()) {
                throw new HttpException(tooLarge, "headers larger than " + limits.maxHead() + " bytes");
            }
            if (++fields > limits.maxFields()) {
                throw new HttpException(tooLarge, "more than " + limits.maxFields() + " header fields");
            }
            parseField(h, status, sink);
        }
    }

    /** One field line: {@code name ":" OWS value OWS}. */
    public static void parseField(String h, int status, FieldSink sink) throws HttpException {
        if (isWs(h.charAt(0))) {
            throw new HttpException(status, "obsolete header line folding");
        }
        int colon = h.indexOf(':');
        if (colon <= 0) {
            throw new HttpException(status, "header line without a name");
        }
        for (int i = 0; i < colon; i++) {
            if (!isTchar(h.charAt(i))) {
                throw new HttpException(status, isWs(h.charAt(i)) ? "whitespace before the colon of a header" : "invalid header name");
            }
        }
        for (int i = colon + 1; i < h.length(); i++) {
            if (!isFieldChar(h.charAt(i))) {
                throw new HttpException(status, "control character in the value of " + h.substring(0, colon));
            }
        }
        sink.field(h.substring(0, colon), trimOws(h, colon + 1, h.length()));
    }

    /**
     * Checks the Host field of a request (RFC 9112 §3.2): HTTP/1.1 needs exactly one, and any
     * present must be a valid {@code uri-host [":" port]} (empty is allowed: a target without
     * authority).
     */
    public static void checkHost(HttpHeaders headers, boolean http11) throws HttpException {
        List<String> hosts = headers.all("Host");
        if (hosts.size() > 1) {
            throw new HttpException(400, "more than one Host header");
        }
        if (hosts.isEmpty()) {
            if (http11) {
                throw new HttpException(400, "HTTP/1.1 request without Host");
            }
            return;
        }
        String host = hosts.get(0);
        if (!host.isEmpty() && !validAuthority(host, false)) {
            throw new HttpException(400, "invalid Host header");
        }
    }

    /** {@code uri-host [":" port]} without userinfo; with {@code portRequired}, the port must be there. */
    static boolean validAuthority(String a, boolean portRequired) {
        int i = 0;
        int n = a.length();
        if (n == 0) {
            return false;
        }
        if (a.charAt(0) == '[') {
            int close = a.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (int k = 1; k < close; k++) {
                char c = a.charAt(k);
                if (!(isHex(c) || c == ':' || c == '.' || c == 'v' || c == 'V' || isUnreserved(c) || isSubDelim(c))) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < n && a.charAt(i) != ':') {
                char c = a.charAt(i);
                if (c == '%') {
                    if (i + 2 >= n || !isHex(a.charAt(i + 1)) || !isHex(a.charAt(i + 2))) {
                        return false;
                    }
                    i += 3;
                    continue;
                }
                if (!isUnreserved(c) && !isSubDelim(c)) {
                    return false;
                }
                i++;
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == n) {
            return !portRequired;
        }
        if (a.charAt(i) != ':') {
            return false;
        }
        int digits = n - i - 1;
        if (digits == 0) {
            return !portRequired;   // "host:" is allowed by the grammar (port = *DIGIT)
        }
        if (digits > 5) {
            return false;
        }
        for (int k = i + 1; k < n; k++) {
            if (!isDigit(a.charAt(k))) {
                return false;
            }
        }
        return Integer.parseInt(a, i + 1, n, 10) <= 65535;
    }

    private static boolean isUnreserved(char c) {
        return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isSubDelim(char c) {
        return "!$&'()*+,;=".indexOf(c) >= 0;
    }

    // ---- framing --------------------------------------------------------------------------

    /**
     * A request's body framing (RFC 9112 §6.3): chunked, a Content-Length, or none.
     *
     * @param maxBody a declared length beyond this is a 413
     */
    public static Framing requestFraming(HttpHeaders headers, boolean http11, long maxBody) throws HttpException {
        List<String> codings = headers.all("Transfer-Encoding");
        List<String> lengths = headers.all("Content-Length");
        if (!codings.isEmpty()) {
            if (!lengths.isEmpty()) {
                throw new HttpException(400, "both Content-Length and Transfer-Encoding (request smuggling)");
            }
            if (!http11) {
                throw new HttpException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            return chunkedOrFail(codings, 400, true);
        }
        if (lengths.isEmpty()) {
            return Framing.NONE;
        }
        long length = contentLength(lengths, 400, 413);
        if (length > maxBody) {
            throw new HttpException(413, "request body of " + length + " bytes is larger than " + maxBody);
        }
        return length == 0 ? Framing.NONE : new Framing(length, false);
    }

    /**
     * A response's body framing (RFC 9112 §6.3) for a client: none for HEAD, 1xx, 204 and 304;
     * chunked; a Content-Length; else until the connection ends. Malformed framing is
     * {@code status} (a client's 502).
     */
    public static Framing responseFraming(HttpHeaders headers, boolean http11, int code, boolean headRequest, int status)
            throws HttpException {
        if (headRequest || code < 200 || code == 204 || code == 304) {
            return Framing.NONE;
        }
        List<String> codings = headers.all("Transfer-Encoding");
        List<String> lengths = headers.all("Content-Length");
        if (!codings.isEmpty()) {
            if (!lengths.isEmpty()) {
                throw new HttpException(status, "a response with both Content-Length and Transfer-Encoding");
            }
            if (!http11) {
                throw new HttpException(status, "Transfer-Encoding in an HTTP/1.0 response");
            }
            Framing f = chunkedOrFail(codings, status, false);
            return f == null ? Framing.UNTIL_CLOSE : f;
        }
        if (lengths.isEmpty()) {
            return Framing.UNTIL_CLOSE;
        }
        return new Framing(contentLength(lengths, status, status), false);
    }

    /**
     * The codings of Transfer-Encoding fields: chunked last, once. Returns null (a response:
     * read until close) when the last coding is not chunked and {@code request} is false.
     */
    private static Framing chunkedOrFail(List<String> fields, int status, boolean request) throws HttpException {
        int chunked = 0;
        int total = 0;
        boolean lastChunked = false;
        for (String field : fields) {
            int from = 0;
            while (from <= field.length()) {
                int comma = field.indexOf(',', from);
                int to = comma < 0 ? field.length() : comma;
                String element = trimOws(field, from, to);
                from = to + 1;
                if (element.isEmpty()) {
                    if (comma < 0) {
                        break;
                    }
                    continue;   // RFC 9110 §5.6.1.2: empty list elements are ignored
                }
                int semi = element.indexOf(';');
                String name = semi < 0 ? element : trimOws(element, 0, semi);
                if (!isToken(name) || (semi >= 0 && !validParameters(element.substring(semi)))) {
                    throw new HttpException(status, "malformed Transfer-Encoding");
                }
                if (++total > 8) {
                    throw new HttpException(status, "too many transfer codings");
                }
                lastChunked = name.equalsIgnoreCase("chunked");
                if (lastChunked) {
                    if (semi >= 0) {
                        throw new HttpException(status, "chunked takes no parameters");
                    }
                    chunked++;
                }
                if (comma < 0) {
                    break;
                }
            }
        }
        if (total == 0) {
            throw new HttpException(status, "empty Transfer-Encoding");
        }
        if (chunked > 1) {
            throw new HttpException(status, "chunked applied more than once");
        }
        if (!lastChunked) {
            if (request) {
                throw new HttpException(400, "the final transfer coding is not chunked");
            }
            if (chunked == 1) {
                throw new HttpException(status, "chunked is not the final transfer coding");
            }
            return null;
        }
        if (total > 1) {
            if (request) {
                throw new HttpException(501, "transfer codings other than chunked are not supported: " + String.join(", ", fields));
            }
            throw new HttpException(status, "unsupported transfer coding: " + String.join(", ", fields));
        }
        return Framing.CHUNKED;
    }

    /** {@code *( OWS ";" OWS token "=" ( token / quoted-string ) )}. */
    private static boolean validParameters(String p) {
        int i = 0;
        int n = p.length();
        while (i < n) {
            while (i < n && isWs(p.charAt(i))) {
                i++;
            }
            if (i == n) {
                return true;
            }
            if (p.charAt(i++) != ';') {
                return false;
            }
            while (i < n && isWs(p.charAt(i))) {
                i++;
            }
            int name = i;
            while (i < n && isTchar(p.charAt(i))) {
                i++;
            }
            if (i == name || i == n || p.charAt(i++) != '=') {
                return false;
            }
            int end = valueEnd(p, i);
            if (end < 0) {
                return false;
            }
            i = end;
        }
        return true;
    }

    /** The end of the token or quoted-string at {@code i}, or -1 when there is none. */
    private static int valueEnd(String s, int i) {
        int n = s.length();
        if (i < n && s.charAt(i) == '"') {
            for (i++; i < n; i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    if (++i >= n || !isFieldChar(s.charAt(i))) {
                        return -1;
                    }
                } else if (c == '"') {
                    return i + 1;
                } else if (!isFieldChar(c)) {
                    return -1;
                }
            }
            return -1;
        }
        int start = i;
        while (i < n && isTchar(s.charAt(i))) {
            i++;
        }
        return i == start ? -1 : i;
    }

    /**
     * The value of Content-Length fields (RFC 9110 §8.6): digits only, and where a list or several
     * fields give it, all the same.
     *
     * @param tooLarge the status of a value too large for a long
     */
    public static long contentLength(List<String> fields, int status, int tooLarge) throws HttpException {
        long value = -1;
        for (String field : fields) {
            int from = 0;
            while (true) {
                int comma = field.indexOf(',', from);
                String v = trimOws(field, from, comma < 0 ? field.length() : comma);
                if (v.isEmpty()) {
                    throw new HttpException(status, "empty Content-Length");
                }
                for (int i = 0; i < v.length(); i++) {
                    if (!isDigit(v.charAt(i))) {
                        throw new HttpException(status, "bad Content-Length");
                    }
                }
                int first = 0;
                while (first < v.length() - 1 && v.charAt(first) == '0') {
                    first++;
                }
                if (v.length() - first > 18) {
                    throw new HttpException(tooLarge, "Content-Length too large");
                }
                long n = Long.parseLong(v, first, v.length(), 10);
                if (value >= 0 && n != value) {
                    throw new HttpException(status, "conflicting Content-Length values");
                }
                value = n;
                if (comma < 0) {
                    break;
                }
                from = comma + 1;
            }
        }
        return value;
    }

    // ---- chunked --------------------------------------------------------------------------

    /**
     * A chunk-size line (RFC 9112 §7.1): {@code 1*HEXDIG *( BWS ";" BWS ext-name [ BWS "=" BWS
     * ext-val ] )}; extensions are checked and dropped.
     *
     * @param tooLarge the status of a size that no limit could allow (over 15 hex digits)
     */
    public static long parseChunkSize(String line, int status, int tooLarge) throws HttpException {
        int n = line.length();
        int i = 0;
        while (i < n && isHex(line.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new HttpException(status, "bad chunk size: " + printable(line));
        }
        int first = 0;
        while (first < i - 1 && line.charAt(first) == '0') {
            first++;
        }
        if (i - first > 15) {
            throw new HttpException(tooLarge, "chunk size too large");
        }
        long size = Long.parseLong(line, first, i, 16);
        while (i < n) {
            while (i < n && isWs(line.charAt(i))) {
                i++;
            }
            if (i == n || line.charAt(i++) != ';') {
                throw new HttpException(status, "bad chunk size: " + printable(line));
            }
            while (i < n && isWs(line.charAt(i))) {
                i++;
            }
            int name = i;
            while (i < n && isTchar(line.charAt(i))) {
                i++;
            }
            if (i == name) {
                throw new HttpException(status, "bad chunk extension: " + printable(line));
            }
            int j = i;
            while (j < n && isWs(line.charAt(j))) {
                j++;
            }
            if (j < n && line.charAt(j) == '=') {
                j++;
                while (j < n && isWs(line.charAt(j))) {
                    j++;
                }
                int end = valueEnd(line, j);
                if (end < 0) {
                    throw new HttpException(status, "bad chunk extension: " + printable(line));
                }
                i = end;
            }
        }
        return size;
    }

    // ---- dates ----------------------------------------------------------------------------

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /**
     * The IMF-fixdate of RFC 9110 §5.6.7 ({@code Sun, 06 Nov 1994 08:49:37 GMT}): a two-digit day,
     * always GMT. Written by hand, not with a {@code DateTimeFormatter} ({@code RFC_1123_DATE_TIME}
     * writes a one-digit day), and needing no locale or time-zone data that could fail to load
     * later, when descriptors have run out.
     */
    public static String imfFixdate(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secs = (int) Math.floorMod(epochSecond, 86_400);
        java.time.LocalDate d = java.time.LocalDate.ofEpochDay(days);
        StringBuilder b = new StringBuilder(29);
        b.append(DAYS[d.getDayOfWeek().ordinal()]).append(", ");
        two(b, d.getDayOfMonth()).append(' ').append(MONTHS[d.getMonthValue() - 1]).append(' ').append(d.getYear()).append(' ');
        two(b, secs / 3600).append(':');
        two(b, secs / 60 % 60).append(':');
        two(b, secs % 60).append(" GMT");
        return b.toString();
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** Text of a peer's line for an error message: at most 100 characters of {@link #printable(String, int)}. */
    public static String printable(String s) {
        return printable(s, 100);
    }

    /**
     * Text a peer sent, safe to put in a message or a log line: at most {@code max} characters,
     * each control byte, non-ASCII character, quote and backslash shown as {@code ?} (a request
     * line is attacker-controlled, and an access log is read by tools that split on quotes).
     */
    public static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            b.append(c < 32 || c >= 127 || c == '"' || c == '\\' ? '?' : c);
        }
        return b.toString();
    }

    /**
     * Whether a message's connection may carry another after it (RFC 9112 §9.3): an HTTP/1.1
     * one unless it says {@code Connection: close}, an HTTP/1.0 one only with
     * {@code Connection: keep-alive}.
     */
    public static boolean keepAlive(boolean http11, HttpHeaders headers) {
        return http11 ? !headers.hasToken("Connection", "close") : headers.hasToken("Connection", "keep-alive");
    }
}
