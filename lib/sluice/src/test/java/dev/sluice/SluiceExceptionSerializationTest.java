package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.StreamTimeoutException.Timeout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every member of the {@link SluiceException} family survives Java serialization (a failure may
 * cross a process boundary: a job framework, a remote logger): message, cause, request id and
 * typed accessors intact; the partial result, the provider's object, is left behind.
 */
class SluiceExceptionSerializationTest {

    /** A partial result that is not serializable, as the providers' are not. */
    private record Partial(String text) {}

    static Stream<SluiceException> family() throws Exception {
        JsonProcessingException jackson =
                assertThrows(JsonProcessingException.class, () -> new ObjectMapper().readTree("{not json"));
        return Stream.of(
                new ApiException(529, "overloaded_error", "Overloaded", false, OptionalInt.of(1500), null),
                new ApiException(200, "api_error", "Internal error", true, null),
                new StreamTimeoutException(Timeout.IDLE, Duration.ofSeconds(60), Duration.ofSeconds(61)),
                new LimitExceededException("maxEventBytes", 1024, "an event of 2048 bytes"),
                new ProtocolException("malformed JSON in a content_block_delta event: {not json", jackson),
                new IncompleteStreamException("the body ended before message_stop"),
                new TransportException("could not connect to api.example.com:443", new ConnectException("refused")),
                new StreamInterruptedException(new InterruptedException("stop")),
                new LocalFailureException("a library bug", new AssertionError("unreachable")),
                new ConcurrencyLimitException("AnthropicClient", 4, Duration.ofSeconds(30)),
                new CircuitOpenException(
                        "AnthropicClient",
                        CircuitOpenException.State.OPEN,
                        java.time.Instant.parse("2026-11-23T17:00:00Z")),
                new RequestRateLimitException("OpenAiClient", 50, Duration.ofMinutes(1), Duration.ofSeconds(10)),
                new RelayException(RelayException.Kind.REPLAY_UNAVAILABLE, "the events after 3 are no longer buffered"),
                new ObjectException(
                        ObjectException.Kind.SCHEMA_MISMATCH,
                        "/minutes: expected integer, got \"ten\"",
                        "/minutes",
                        "type",
                        "{\"minutes\": \"ten\"}"),
                new McpException(McpException.Kind.TIMEOUT, "files", "read_file", "no progress for 60 s", null),
                new CredentialsException(CredentialsException.Kind.NOT_FOUND, "no AWS credentials were found", null));
    }

    @Test
    void family_everyPermittedSubtypeIsCovered() throws Exception {
        List<Class<?>> covered =
                family().<Class<?>>map(Object::getClass).distinct().toList();
        assertEquals(
                List.of(SluiceException.class.getPermittedSubclasses()).size(), covered.size(), covered.toString());
    }

    @ParameterizedTest
    @MethodSource("family")
    void serialize_roundTrip_keepsMessageCauseRequestIdAndAccessorsDropsThePartial(SluiceException original)
            throws Exception {
        original.initContext("req_123", new Partial("so far"));

        SluiceException copy = roundTrip(original);

        assertEquals(original.getClass(), copy.getClass());
        assertEquals(original.getMessage(), copy.getMessage());
        assertEquals("req_123", copy.requestId().orElseThrow());
        assertTrue(copy.partial().isEmpty(), "the partial result is not serialized");
        if (original.getCause() != null) { // its message is its own (Jackson's leaves out the parser's location)
            assertEquals(original.getCause().getClass(), copy.getCause().getClass());
        }
        switch (copy) {
            case ApiException e -> {
                ApiException o = (ApiException) original;
                assertEquals(
                        List.of(o.statusCode(), o.errorType(), o.errorMessage(), o.inStream(), o.retryAfterMillis()),
                        List.of(e.statusCode(), e.errorType(), e.errorMessage(), e.inStream(), e.retryAfterMillis()));
            }
            case StreamTimeoutException e -> {
                StreamTimeoutException o = (StreamTimeoutException) original;
                assertEquals(List.of(o.timeout(), o.limit(), o.waited()), List.of(e.timeout(), e.limit(), e.waited()));
            }
            case LimitExceededException e -> {
                LimitExceededException o = (LimitExceededException) original;
                assertEquals(List.of(o.limit(), o.configuredValue()), List.of(e.limit(), e.configuredValue()));
            }
            case RelayException e -> assertEquals(((RelayException) original).kind(), e.kind());
            case ObjectException e -> {
                ObjectException o = (ObjectException) original;
                assertEquals(
                        List.of(o.kind(), o.path(), o.rule(), o.text()),
                        List.of(e.kind(), e.path(), e.rule(), e.text()));
            }
            case McpException e -> {
                McpException o = (McpException) original;
                assertEquals(List.of(o.kind(), o.server(), o.tool()), List.of(e.kind(), e.server(), e.tool()));
            }
            case CredentialsException e -> assertEquals(((CredentialsException) original).kind(), e.kind());
            default -> {
                /* message and cause only */
            }
        }
    }

    private static SluiceException roundTrip(SluiceException e) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return assertInstanceOf(SluiceException.class, in.readObject());
        }
    }
}
