package dev.sluice.otel;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.sluice.SluiceException;
import dev.sluice.client.StreamEnd;
import dev.sluice.client.StreamStart;
import dev.sluice.providers.ProviderCatalog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The names the spans and the metrics record: the GenAI semantic conventions', then Sluice's own. */
final class Conventions {
    static final AttributeKey<String> OPERATION = stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
    static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
    static final AttributeKey<String> TOKEN_TYPE = stringKey("gen_ai.token.type");
    static final AttributeKey<Boolean> REQUEST_STREAM = booleanKey("gen_ai.request.stream");
    static final AttributeKey<Long> INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    /** Input tokens served from, and written to, the provider's prompt cache (counted in the input tokens too). */
    static final AttributeKey<Long> CACHE_READ_TOKENS = longKey("gen_ai.usage.cache_read.input_tokens");

    static final AttributeKey<Long> CACHE_CREATION_TOKENS = longKey("gen_ai.usage.cache_creation.input_tokens");
    static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = doubleKey("gen_ai.response.time_to_first_chunk");

    /** The provider's request id, for its support; how the stream ended ({@code completed}, {@code cancelled}, ...). */
    static final AttributeKey<String> REQUEST_ID = stringKey("dev.sluice.request_id");

    static final AttributeKey<String> END_REASON = stringKey("dev.sluice.end_reason");
    /** The id of the minted key (the caller, {@link dev.sluice.client.StreamCaller}) a stream was made for; never the key. */
    static final AttributeKey<String> KEY_ID = stringKey("dev.sluice.key.id");

    /** The span events of a retry before content and of a resume after a lost connection, and theirs. */
    static final String RETRY = "dev.sluice.retry";

    static final AttributeKey<Long> RETRY_NUMBER = longKey("dev.sluice.retry.number");
    static final AttributeKey<Double> RETRY_DELAY = doubleKey("dev.sluice.retry.delay");
    static final String RESUME = "dev.sluice.resume";
    static final AttributeKey<Long> RESUME_NUMBER = longKey("dev.sluice.resume.number");

    private Conventions() {}

    /**
     * {@return what a stream is from its start: operation, provider, requested model (when known),
     * server address and port, and the key's id when a caller was named} The attributes the
     * conventions want on a span when it is created, and every metric's.
     */
    static Attributes startAttributes(StreamStart start) {
        AttributesBuilder b = Attributes.builder()
                .put(OPERATION, start.operation())
                .put(PROVIDER, ProviderCatalog.genAiProviderName(start.provider()))
                .put(SERVER_ADDRESS, start.serverAddress())
                .put(SERVER_PORT, (long) start.serverPort());
        if (!start.model().isEmpty()) b.put(REQUEST_MODEL, start.model());
        if (!start.caller().isEmpty()) b.put(KEY_ID, start.caller());
        return b.build();
    }

    /** {@return the {@code error.type} of a stream that ended in error; null when it did not} */
    static @Nullable String errorType(StreamEnd end) {
        return end.errorType().orElse(null);
    }

    /** {@return the {@code error.type} of a failure: the provider's error type, {@code timeout}, or the class name} */
    static String errorType(SluiceException failure) {
        return StreamEnd.errorType(failure);
    }

    /** {@return a duration in seconds, the conventions' unit} */
    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
