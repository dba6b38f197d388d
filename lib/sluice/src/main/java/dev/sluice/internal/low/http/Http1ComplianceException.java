package dev.sluice.internal.low.http;

import java.io.IOException;

/**
 * A response the blocking HTTP/1.1 transport refuses to read: it breaks RFC 9112 in a way that
 * Jetty's {@code HttpParser} refuses under its strict {@code HttpCompliance.RFC7230} mode (no
 * violation allowed), or passes the transport's size limits. The connection is closed; the
 * transport reports a refused head as a {@link dev.sluice.ProtocolException} naming the
 * {@linkplain #violation() violation}, a refused body as the failure of the body's read.
 */
final class Http1ComplianceException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What the response did, with the rule it broke. */
    enum Violation {
        /** A CR not followed by LF (RFC 9112 §2.2; Jetty's "Bad EOL"). */
        BARE_CR("a CR not followed by LF (RFC 9112 §2.2)"),
        /** A control character other than HTAB in a line (RFC 9110 §5.5; Jetty's "Illegal character"). */
        CONTROL_CHARACTER("a control character in the head (RFC 9110 §5.5)"),
        /** A status line that is not {@code HTTP/1.x NNN [reason]} (RFC 9112 §4). */
        BAD_STATUS_LINE("a malformed status line (RFC 9112 §4)"),
        /** A field line starting with whitespace: obsolete line folding (RFC 9112 §5.2; Jetty's MULTILINE_FIELD_VALUE). */
        OBS_FOLD("obsolete line folding (RFC 9112 §5.2)"),
        /** A field line without a colon (RFC 9112 §5; Jetty's NO_COLON_AFTER_FIELD_NAME). */
        NO_COLON_AFTER_FIELD_NAME("a field line without a colon (RFC 9112 §5)"),
        /** Whitespace between a field name and its colon (RFC 9112 §5.1; Jetty's WHITESPACE_AFTER_FIELD_NAME). */
        WHITESPACE_AFTER_FIELD_NAME("whitespace between a field name and its colon (RFC 9112 §5.1)"),
        /** A field name that is not a token (RFC 9110 §5.1). */
        BAD_FIELD_NAME("a field name that is not a token (RFC 9110 §5.1)"),
        /** Two Content-Length fields, or one with a list (RFC 9112 §6.3; Jetty's MULTIPLE_CONTENT_LENGTHS). */
        MULTIPLE_CONTENT_LENGTHS("more than one Content-Length (RFC 9112 §6.3)"),
        /** A Content-Length that is not a non-negative decimal number (RFC 9110 §8.6). */
        BAD_CONTENT_LENGTH("a Content-Length that is not a decimal number (RFC 9110 §8.6)"),
        /** Transfer-Encoding and Content-Length together (RFC 9112 §6.3; Jetty's TRANSFER_ENCODING_WITH_CONTENT_LENGTH). */
        TRANSFER_ENCODING_WITH_CONTENT_LENGTH("Transfer-Encoding with Content-Length (RFC 9112 §6.3)"),
        /** A transfer coding other than a single {@code chunked} (RFC 9112 §6.1, §7). */
        UNSUPPORTED_TRANSFER_ENCODING("a transfer coding other than chunked (RFC 9112 §6.1)"),
        /** A chunk-size line that is not hexadecimal, or chunk data not followed by CRLF (RFC 9112 §7.1). */
        BAD_CHUNK("malformed chunked framing (RFC 9112 §7.1)"),
        /** A line longer than the transport reads. */
        LINE_TOO_LONG("a line longer than " + Http1ResponseParser.MAX_LINE_BYTES + " bytes"),
        /** A head (status line and fields, or a trailer section) larger than the transport reads. */
        HEAD_TOO_LARGE("a head larger than " + Http1ResponseParser.MAX_HEAD_BYTES + " bytes"),
        /** A 101 Switching Protocols, which no request of the transport asks for (RFC 9110 §15.2.2). */
        UNASKED_PROTOCOL_SWITCH("a protocol switch that was not asked for (RFC 9110 §15.2.2)");

        private final String description;

        Violation(String description) {
            this.description = description;
        }

        /** {@return what the response did, and the rule} */
        String description() {
            return description;
        }
    }

    private final Violation violation;

    Http1ComplianceException(Violation violation) {
        super("the response broke HTTP/1.1: " + violation.description());
        this.violation = violation;
    }

    /** {@return the rule the response broke} */
    Violation violation() {
        return violation;
    }
}
