package dev.sluice.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.junit.jupiter.api.Test;

/**
 * The chain takes every key its clients hold out of a failed row's message, and every echo of it, as the
 * core takes a request's credentials out of what a server sends ({@code ClientOptions.redact}).
 */
class KeyMaskTest {
    @Test
    void redact_keysOfTheOptionsAndTheEnvironment_andTheirEchoes_redacted() {
        ResolvedSchema one = ResolvedSchema.of(Column.physical("x", DataTypes.STRING()));
        ModelConfig config = ModelConfig.of(
                Configuration.fromMap(Map.of(
                        "model",
                        "anthropic:claude-haiku-4-5",
                        "fallback",
                        "openai:gpt-4o-mini",
                        "base-url",
                        "http://127.0.0.1:9",
                        "api-key",
                        "sk-ant-option-key")),
                one,
                one);
        String encoded = Base64.getEncoder().encodeToString("sk-openai-env-key".getBytes(StandardCharsets.UTF_8));
        try (SluicePredictFunction.Chain chain = SluicePredictFunction.Chain.open(
                config, Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9", "OPENAI_API_KEY", "sk-openai-env-key"))) {
            String redacted = chain.redact("ApiException: 400 {\"x-api-key\": \"sk-ant-option-key\", \"authorization\":"
                    + " \"Bearer sk-openai-env-key\", \"seen\": \"SK-ANT-OPTION-KEY\", \"echo\": \"" + encoded + "\"}");
            assertFalse(
                    redacted.contains("sk-ant-option-key")
                            || redacted.contains("SK-ANT-OPTION-KEY")
                            || redacted.contains("sk-openai-env-key")
                            || redacted.contains(encoded.substring(2, encoded.length() - 2)),
                    redacted);
            assertEquals(
                    "ApiException: 400 {\"x-api-key\": \"[redacted]\", \"authorization\": \"Bearer [redacted]\","
                            + " \"seen\": \"[redacted]\", \"echo\": \"[redacted]\"}",
                    redacted);
        }
    }
}
