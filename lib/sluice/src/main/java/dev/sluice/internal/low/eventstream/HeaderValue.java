package dev.sluice.internal.low.eventstream;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * A header's value in an AWS event stream message: one member per type the format defines, in the
 * order of their type codes (0 and 1 are {@code true} and {@code false}, both {@link BoolValue}).
 */
public sealed interface HeaderValue
        permits HeaderValue.BoolValue,
                HeaderValue.ByteValue,
                HeaderValue.ShortValue,
                HeaderValue.IntValue,
                HeaderValue.LongValue,
                HeaderValue.BytesValue,
                HeaderValue.StringValue,
                HeaderValue.TimestampValue,
                HeaderValue.UuidValue {

    /** {@return the value as text, as it reads in a message (hex for bytes)} */
    String text();

    /** Types 0 ({@code true}) and 1 ({@code false}). */
    record BoolValue(boolean value) implements HeaderValue {
        @Override
        public String text() {
            return Boolean.toString(value);
        }
    }

    /** Type 2: a signed byte. */
    record ByteValue(byte value) implements HeaderValue {
        @Override
        public String text() {
            return Byte.toString(value);
        }
    }

    /** Type 3: a signed 16-bit integer. */
    record ShortValue(short value) implements HeaderValue {
        @Override
        public String text() {
            return Short.toString(value);
        }
    }

    /** Type 4: a signed 32-bit integer. */
    record IntValue(int value) implements HeaderValue {
        @Override
        public String text() {
            return Integer.toString(value);
        }
    }

    /** Type 5: a signed 64-bit integer. */
    record LongValue(long value) implements HeaderValue {
        @Override
        public String text() {
            return Long.toString(value);
        }
    }

    /**
     * Type 6: bytes, after a 2-byte length. The array is copied in and out.
     *
     * @param value the bytes
     */
    @SuppressWarnings("ArrayRecordComponent") // copied in and out, compared by content below
    record BytesValue(byte[] value) implements HeaderValue {
        public BytesValue {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public String text() {
            return HexFormat.of().formatHex(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BytesValue b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "BytesValue[" + text() + "]";
        }
    }

    /** Type 7: UTF-8 text, after a 2-byte length. */
    record StringValue(String value) implements HeaderValue {
        public StringValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String text() {
            return value;
        }
    }

    /** Type 8: an instant, in milliseconds since the epoch. */
    record TimestampValue(Instant value) implements HeaderValue {
        public TimestampValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String text() {
            return value.toString();
        }
    }

    /** Type 9: a UUID, 16 bytes, most significant first. */
    record UuidValue(UUID value) implements HeaderValue {
        public UuidValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String text() {
            return value.toString();
        }
    }
}
