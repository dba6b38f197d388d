package dev.sluice.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.junit.jupiter.api.Test;

/** The chain masks every key its clients hold, and header-like credentials, out of a failed row's message. */
class KeyMaskTest {
    @Test
    void mask_keysOfTheOptionsAndTheEnvironment_andHeaderCredentials_hidden() {
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
        try (SluicePredictFunction.Chain chain = SluicePredictFunction.Chain.open(
                config, Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9", "OPENAI_API_KEY", "sk-openai-env-key"))) {
            String masked = chain.mask(
                    "ApiException: 400 {\"x-api-key\": \"sk-ant-option-key\", \"authorization\": \"Bearer sk-openai-env-key\","
                            + " \"x-goog-api-key\": \"AIza-other\"}");
            assertFalse(
                    masked.contains("sk-ant-option-key")
                            || masked.contains("sk-openai-env-key")
                            || masked.contains("AIza-other"),
                    masked);
            assertEquals(
                    "ApiException: 400 {\"x-api-key\": \"(hidden)\", \"authorization\": \"(hidden)\", \"x-goog-api-key\": \"(hidden)\"}",
                    masked);
        }
    }
}
