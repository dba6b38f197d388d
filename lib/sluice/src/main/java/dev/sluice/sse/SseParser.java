package dev.sluice.sse;

import dev.sluice.LimitExceededException;
import dev.sluice.internal.low.sse.RawEventListener;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An incremental, push-based parser of the {@code text/event-stream} format, exactly as the
 * WHATWG HTML standard interprets it ("Server-sent events", parsing and interpreting an event
 * stream). Feed it the bytes of a stream in chunks of any size, then call {@link #finish()};
 * it calls its {@link SseListener} for each dispatched event, each valid {@code retry} field and,
 * if asked, each comment.
 *
 * <pre>{@code
 * SseParser parser = new SseParser(event -> System.out.println(event.type() + ": " + event.data()));
 * byte[] buffer = new byte[8192];
 * for (int n; (n = body.read(buffer)) != -1; ) parser.feed(buffer, 0, n);
 * parser.finish();
 * }</pre>
 *
 * <p>The rules, all of them: one UTF-8 byte order mark is skipped at the very start of the
 * stream (also when it arrives split across feeds) and nowhere else; lines end with CR LF, LF or
 * CR (a CR LF split across two feeds is one line end; a CR that is the last byte of the stream
 * still ends its line); a line starting with a colon is a comment; a line without a colon is a
 * field whose value is empty; exactly one space after the colon is removed; field names are
 * case-sensitive and unknown fields are ignored; {@code data} values are joined with LF; a blank
 * line dispatches the event, unless it has no {@code data} field; an empty or missing
 * {@code event} means {@code message}, and the type applies to one event only; an {@code id}
 * containing U+0000 is ignored, any other (the empty one included, which sets the id to
 * {@code ""}) becomes the last event ID, which persists across events; {@code retry} counts only
 * when its value is one or more ASCII digits; at the end of the stream an incomplete event, and a
 * last line without its line end, are discarded.
 *
 * <p>Choices where the standard is silent: a {@code retry} value too large for a {@code long}
 * is ignored, like any other invalid value. Text is decoded with the WHATWG Encoding standard's
 * UTF-8 decoder (ill-formed bytes become U+FFFD by maximal subparts, as in a browser), one whole
 * line at a time, so a character split across feeds is decoded whole.
 *
 * <p>Limits ({@link SseLimits}): a line longer than {@code maxLineBytes}, or an event whose field
 * values (comments and unknown fields included; each {@code data} line counts one more byte for
 * the LF that joins it) add up to more than {@code maxEventBytes}, ends parsing with a
 * {@link LimitExceededException}. Limits are checked before any buffer grows, so the memory a
 * parser holds stays within the limits whatever the input.
 *
 * <p>Cost: bytes are scanned once; a line that lies whole inside one feed is not copied, nor is
 * the data of an event whose one {@code data} line and dispatching blank line come in the same
 * feed; only field values are decoded; the event type string is reused while it repeats, and
 * shared with other parsers that saw the same type. Per event, the parser allocates the event,
 * its data string, and the type string when it changes to one the parsers have not kept
 * (Sluice's own streams take the raw bytes, an internal hot path that spares the last two). The
 * buffers for a line split across feeds and for data kept past its line are made when first
 * needed.
 *
 * <p>After an exception escapes {@code feed} or {@code finish} (a limit, or one thrown by the
 * listener), the parser is unusable and further calls throw {@link IllegalStateException}.
 */
public final class SseParser {
    // Threading: not thread-safe. All fields are owned by the thread calling feed()/finish(),
    // one thread at a time (the stream's producer thread); the listener runs on that thread.

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** A buffer's size when first needed. */
    private static final int INITIAL_CAPACITY = 256;

    private static final byte[] NONE = new byte[0];

    private final SseListener listener;
    private final @Nullable RawEventListener raw; // the listener, when it takes raw data
    private final SseLimits limits;
    private final boolean reportComments;

    /**
     * The start of a line that has not ended yet, carried over from earlier feeds. Empty until a
     * line first spans two feeds: a stream whose events each arrive whole in a read never needs
     * it (thousands of waiting streams each hold their parser).
     */
    private byte[] line = NONE;

    private int lineLength;
    /** The last byte seen was a CR: a LF at the start of the next feed is part of its line end. */
    private boolean skipLf;
    /** How many bytes of a BOM the stream has started with; -1 once past the stream's start. */
    private int bomMatched;

    /**
     * The data lines of the current event, each followed by LF. Empty until an event's data is
     * first kept past its line (more than one data line, or an event split across feeds).
     */
    private byte[] data = NONE;

    private int dataLength;
    /**
     * The current event's only data line so far, when it lay whole inside the caller's buffer of
     * the current feed: {@code feed[pendingFrom, pendingFrom + pendingLength)}, not yet copied
     * into {@link #data} (null when there is none). Copied there before anything else touches the
     * data, and before {@code feed} returns; dispatched from the caller's buffer when the event
     * ends in the same feed.
     */
    private byte @Nullable [] pending;

    private int pendingFrom;
    private int pendingLength;
    /** Bytes of field values gathered for the current event, counted against maxEventBytes. */
    private long eventBytes;
    /** The current event's type, or null when it has none yet. */
    private @Nullable String eventType;
    /** The last decoded event type and its bytes, so a repeated type is not decoded again. */
    private byte[] cachedTypeBytes = new byte[0];

    private String cachedType = SseEvent.DEFAULT_TYPE;
    private @Nullable String lastEventId;

    private boolean finished;
    private boolean failed;

    /**
     * A parser with the {@linkplain SseLimits#defaults() default limits} that does not report
     * comments.
     *
     * @throws NullPointerException if {@code listener} is null
     */
    public SseParser(SseListener listener) {
        this(SseLimits.defaults(), listener, false);
    }

    /**
     * A parser with the given limits that does not report comments.
     *
     * @throws NullPointerException if an argument is null
     */
    public SseParser(SseLimits limits, SseListener listener) {
        this(limits, listener, false);
    }

    /**
     * A parser with the given limits.
     *
     * @param reportComments whether to call {@link SseListener#onComment} for comment lines
     *     (decoding them costs a string each, so it is off unless asked for)
     * @throws NullPointerException if {@code limits} or {@code listener} is null
     */
    public SseParser(SseLimits limits, SseListener listener, boolean reportComments) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.raw = listener instanceof RawEventListener r ? r : null;
        this.reportComments = reportComments;
    }

    /**
     * Parses the next bytes of the stream, calling the listener for what they complete.
     * Any chunking is fine, an empty one included.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
     * @throws LimitExceededException if a line or an event goes past its limit
     * @throws IllegalStateException after {@link #finish()} or after an earlier failure
     */
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        checkUsable();
        try {
            parse(bytes, offset, offset + length);
            if (pending != null) keepPending(); // the caller's buffer is theirs again once feed returns
        } catch (RuntimeException | Error e) {
            pending = null;
            failed = true;
            throw e;
        }
    }

    /**
     * Ends the stream: an event not yet dispatched by a blank line, and a last line without its
     * line end, are discarded, as the standard says. Calling it again does nothing.
     *
     * @throws IllegalStateException after an earlier failure
     */
    public void finish() {
        if (finished) return;
        checkUsable();
        finished = true;
        pending = null;
        line = data = NONE;
        lineLength = dataLength = 0;
        eventType = null;
    }

    private void checkUsable() {
        if (finished) throw new IllegalStateException("the parser is finished; feed() after finish() is not allowed");
        if (failed) throw new IllegalStateException("the parser failed earlier and cannot be used");
    }

    private void parse(byte[] bytes, int from, int end) {
        int i = from;
        if (bomMatched >= 0) {
            i = skipBom(bytes, i, end);
            if (i == end) return;
        }
        if (skipLf && i < end) {
            skipLf = false;
            if (bytes[i] == '\n' && ++i == end) return;
        }
        while (i < end) {
            int j = lineEnd(bytes, i, end);
            if (j == end) {
                appendToLine(bytes, i, j - i);
                return;
            }
            if (lineLength == 0) {
                if (j - i > limits.maxLineBytes()) throw lineTooLong();
                processLine(bytes, i, j, true);
            } else {
                appendToLine(bytes, i, j - i);
                int n = lineLength;
                lineLength = 0;
                processLine(line, 0, n, false);
            }
            if (bytes[j] == '\r') {
                if (j + 1 == end) {
                    skipLf = true;
                    return;
                }
                if (bytes[j + 1] == '\n') j++;
            }
            i = j + 1;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = ONES * '\n';
    private static final long CRS = ONES * '\r';
    private static final long BELOW_CR_PLUS_ONE = ONES * ('\r' + 1);
    /** {@code "data: "} and {@code "event: "} as the low bytes of a little-endian word, and their masks. */
    private static final int DATA_PREFIX = 6;

    private static final int EVENT_PREFIX = 7;
    private static final long DATA_WORD = prefixWord("data: ");
    private static final long EVENT_WORD = prefixWord("event: ");
    private static final long DATA_MASK = (1L << (8 * DATA_PREFIX)) - 1;
    private static final long EVENT_MASK = (1L << (8 * EVENT_PREFIX)) - 1;

    private static long prefixWord(String prefix) {
        long word = 0;
        for (int k = prefix.length() - 1; k >= 0; k--) word = word << 8 | prefix.charAt(k);
        return word;
    }

    /**
     * {@return the index of the first CR or LF in {@code bytes[i, end)}, or {@code end}} Eight bytes
     * at a time: in a word XORed with eight copies of the sought byte, a matching byte is zero, and
     * {@code (x - 0x01..) & ~x & 0x80..} sets the high bit of the lowest zero byte exactly (a borrow
     * can only mark bytes above it). The lowest mark of either search is the first line end. A
     * word is first tested for any byte below 0x0E with one such step, {@code (w - 0x0E..) & ~w
     * & 0x80..}, which is zero exactly when there is none (no byte below 0x0E, no borrow): the
     * common word, text with neither CR nor LF, costs that one test.
     */
    static int lineEnd(byte[] bytes, int i, int end) {
        // "i <= last": a counted loop, so the JIT can hoist the word reads' range checks out of it
        for (int last = end - Long.BYTES; i <= last; i += Long.BYTES) {
            long w = (long) LONGS.get(bytes, i);
            if (((w - BELOW_CR_PLUS_ONE) & ~w & HIGHS) == 0) continue; // no byte below 0x0E: neither CR nor LF
            long lf = w ^ LFS;
            long cr = w ^ CRS;
            long found = (((lf - ONES) & ~lf) | ((cr - ONES) & ~cr)) & HIGHS;
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') return i;
        }
        return end;
    }

    /** Matches the stream's first bytes against a BOM; {@return where the stream's text starts} */
    private int skipBom(byte[] bytes, int i, int end) {
        while (i < end) {
            if (bytes[i] != BOM[bomMatched]) {
                // not a BOM after all: the bytes held back are ordinary text
                int held = bomMatched;
                bomMatched = -1;
                appendToLine(BOM, 0, held);
                return i;
            }
            i++;
            if (++bomMatched == BOM.length) {
                bomMatched = -1;
                return i;
            }
        }
        return i;
    }

    private void appendToLine(byte[] bytes, int from, int n) {
        int needed = lineLength + n;
        if (needed > limits.maxLineBytes() || needed < 0) throw lineTooLong();
        if (needed > line.length) line = grow(line, needed, limits.maxLineBytes());
        System.arraycopy(bytes, from, line, lineLength, n);
        lineLength = needed;
    }

    private LimitExceededException lineTooLong() {
        int max = limits.maxLineBytes();
        return new LimitExceededException("maxLineBytes", max, "an SSE line of more than " + max + " bytes");
    }

    /**
     * Interprets one line, {@code bytes[from, end)}, without its line end; {@code inFeed}: the line
     * lies in the caller's buffer of the current feed (so a data line may be left there until the
     * event ends).
     */
    private void processLine(byte[] bytes, int from, int end, boolean inFeed) {
        if (from == end) {
            dispatch();
            return;
        }
        if (end - from >= Long.BYTES) {
            // the two lines of nearly every event, "data: " and "event: ", told by their first word
            long word = (long) LONGS.get(bytes, from);
            if ((word & DATA_MASK) == DATA_WORD) {
                data(bytes, from + DATA_PREFIX, end - from - DATA_PREFIX, inFeed);
                return;
            }
            if ((word & EVENT_MASK) == EVENT_WORD) {
                event(bytes, from + EVENT_PREFIX, end - from - EVENT_PREFIX);
                return;
            }
        }
        int colon = from;
        while (colon < end && bytes[colon] != ':') colon++;
        if (colon == from) {
            countEventBytes(end - from - 1);
            if (reportComments) listener.onComment(WhatwgUtf8.decode(bytes, from + 1, end - from - 1));
            return;
        }
        int valueFrom = colon;
        if (colon < end) {
            valueFrom = colon + 1;
            if (valueFrom < end && bytes[valueFrom] == ' ') valueFrom++;
        }
        int valueLength = end - valueFrom;
        switch (colon - from) {
            case 4 -> {
                if (bytes[from] == 'd' && bytes[from + 1] == 'a' && bytes[from + 2] == 't' && bytes[from + 3] == 'a') {
                    data(bytes, valueFrom, valueLength, inFeed);
                    return;
                }
            }
            case 5 -> {
                if (bytes[from] == 'e'
                        && bytes[from + 1] == 'v'
                        && bytes[from + 2] == 'e'
                        && bytes[from + 3] == 'n'
                        && bytes[from + 4] == 't') {
                    event(bytes, valueFrom, valueLength);
                    return;
                }
                if (bytes[from] == 'r'
                        && bytes[from + 1] == 'e'
                        && bytes[from + 2] == 't'
                        && bytes[from + 3] == 'r'
                        && bytes[from + 4] == 'y') {
                    countEventBytes(valueLength);
                    retry(bytes, valueFrom, end);
                    return;
                }
            }
            case 2 -> {
                if (bytes[from] == 'i' && bytes[from + 1] == 'd') {
                    countEventBytes(valueLength);
                    for (int k = valueFrom; k < end; k++) {
                        if (bytes[k] == 0) return; // an id containing U+0000 is ignored
                    }
                    lastEventId = WhatwgUtf8.decode(bytes, valueFrom, valueLength);
                    return;
                }
            }
            default -> {}
        }
        countEventBytes(valueLength); // an unknown field: ignored, but it was read
    }

    /** A {@code data} field's value, {@code bytes[from, from + n)}; {@code inFeed} as for {@link #processLine}. */
    private void data(byte[] bytes, int from, int n, boolean inFeed) {
        if (inFeed && dataLength == 0 && pending == null) {
            countEventBytes(n + 1L);
            pending = bytes;
            pendingFrom = from;
            pendingLength = n;
        } else {
            if (pending != null) keepPending();
            appendData(bytes, from, n);
        }
    }

    /** An {@code event} field's value, {@code bytes[from, from + n)}. */
    private void event(byte[] bytes, int from, int n) {
        countEventBytes(n);
        eventType = decodeType(bytes, from, n);
    }

    private void countEventBytes(long n) {
        long total = eventBytes + n;
        int max = limits.maxEventBytes();
        if (total > max) {
            throw new LimitExceededException("maxEventBytes", max, "an SSE event of more than " + max + " bytes");
        }
        eventBytes = total;
    }

    private void appendData(byte[] bytes, int from, int n) {
        countEventBytes(n + 1L); // the values and their joining LFs: dataLength <= eventBytes
        copyData(bytes, from, n);
    }

    /** Copies the pending data line into {@link #data} (its bytes were counted when it came). */
    private void keepPending() {
        byte[] bytes = pending;
        if (bytes == null) return; // the callers check first
        pending = null;
        copyData(bytes, pendingFrom, pendingLength);
    }

    private void copyData(byte[] bytes, int from, int n) {
        int needed = dataLength + n + 1;
        if (needed > data.length) data = grow(data, needed, limits.maxEventBytes());
        System.arraycopy(bytes, from, data, dataLength, n);
        data[needed - 1] = '\n';
        dataLength = needed;
    }

    private String decodeType(byte[] bytes, int from, int n) {
        if (n == 0) return SseEvent.DEFAULT_TYPE;
        if (!sameBytes(bytes, from, n, cachedTypeBytes)) {
            KnownType known = knownType(bytes, from, n);
            cachedTypeBytes = known.bytes;
            cachedType = known.type;
        }
        return cachedType;
    }

    /**
     * An event type's bytes and its decoded string, shared by every parser: a provider's stream
     * has a few types, each stream changes type a few times, and each change would otherwise copy
     * the bytes and decode them again.
     */
    private static final class KnownType {
        final byte[] bytes;
        final String type;

        KnownType(byte[] bytes, String type) {
            this.bytes = bytes;
            this.type = type;
        }
    }

    /**
     * Event types seen before, by their bytes' hash: a slot holds the last type that landed in it.
     * Read and written by any thread without a lock (a KnownType read through a race is whole: its
     * fields are final, and its array is never written after it is made). At most 64 types of at most
     * {@link #MAX_KNOWN_TYPE_BYTES} bytes.
     */
    private static final @Nullable KnownType[] KNOWN_TYPES = new KnownType[64];

    private static final int MAX_KNOWN_TYPE_BYTES = 48;

    /** {@return the type in {@code bytes[from, from + n)}, the known one when its bytes are the same} */
    private static KnownType knownType(byte[] bytes, int from, int n) {
        int h = 0;
        for (int k = from; k < from + n; k++) h = 31 * h + bytes[k];
        int slot = (h ^ (h >>> 16)) & (KNOWN_TYPES.length - 1);
        KnownType known = KNOWN_TYPES[slot];
        if (known != null && sameBytes(bytes, from, n, known.bytes)) return known;
        KnownType type = new KnownType(Arrays.copyOfRange(bytes, from, from + n), WhatwgUtf8.decode(bytes, from, n));
        if (n <= MAX_KNOWN_TYPE_BYTES) KNOWN_TYPES[slot] = type;
        return type;
    }

    /**
     * {@return whether {@code bytes[from, from + n)} equals {@code cached}} Eight bytes at a time,
     * the last word overlapping the one before: event types are short, and this runs once per
     * event (faster here than {@code Arrays.equals}, whose call and range checks dominate at this size).
     */
    private static boolean sameBytes(byte[] bytes, int from, int n, byte[] cached) {
        if (n != cached.length) return false;
        if (n < Long.BYTES) {
            for (int k = 0; k < n; k++) {
                if (bytes[from + k] != cached[k]) return false;
            }
            return true;
        }
        for (int k = 0; k < n - Long.BYTES; k += Long.BYTES) {
            if ((long) LONGS.get(bytes, from + k) != (long) LONGS.get(cached, k)) return false;
        }
        return (long) LONGS.get(bytes, from + n - Long.BYTES) == (long) LONGS.get(cached, n - Long.BYTES);
    }

    private void retry(byte[] bytes, int from, int end) {
        if (from == end) return;
        long millis = 0;
        for (int k = from; k < end; k++) {
            int digit = bytes[k] - '0';
            if (digit < 0 || digit > 9) return;
            if (millis > (Long.MAX_VALUE - digit) / 10) return; // too large for a long: ignored
            millis = millis * 10 + digit;
        }
        listener.onRetry(millis);
    }

    private void dispatch() {
        eventBytes = 0;
        if (pending != null) { // one data line, in the caller's buffer: dispatched from there
            byte[] bytes = pending;
            pending = null;
            dispatch(bytes, pendingFrom, pendingLength);
            return;
        }
        if (dataLength == 0) {
            eventType = null;
            listener.onEmptyEvent(lastEventId);
            return;
        }
        int length = dataLength - 1; // without the last LF
        dataLength = 0;
        dispatch(data, 0, length);
    }

    private void dispatch(byte[] bytes, int from, int length) {
        String type = eventType == null ? SseEvent.DEFAULT_TYPE : eventType;
        eventType = null;
        if (raw != null && raw.onRawEvent(type, bytes, from, length, lastEventId))
            return; // the listener read the bytes
        listener.onEvent(new SseEvent(type, WhatwgUtf8.decode(bytes, from, length), lastEventId));
    }

    /** {@return the capacity of the line buffer} For tests of the memory bound. */
    int lineCapacity() {
        return line == null ? 0 : line.length;
    }

    /** {@return the capacity of the data buffer} For tests of the memory bound. */
    int dataCapacity() {
        return data == null ? 0 : data.length;
    }

    private static byte[] grow(byte[] buffer, int needed, int limit) {
        long doubled = Math.max(needed, Math.max(INITIAL_CAPACITY, 2L * buffer.length));
        int capacity = (int) Math.min(doubled, Math.min(limit, MAX_ARRAY));
        return Arrays.copyOf(buffer, Math.max(capacity, needed));
    }
}
