package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.client.TokenBudget;
import dev.sluice.stream.EndReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The output-token budget: the stream ends normally at the right count; the alert fires once at its threshold. */
class AnthropicTokenBudgetTest {
    private ContinuingModel server;

    @BeforeEach
    void start() throws Exception {
        server = new ContinuingModel(AnthropicResumeTest.TEXT); // deltas of four code points: one token each
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static String pieces(int k) {
        return String.join("", ContinuingModel.pieces(AnthropicResumeTest.TEXT).subList(0, k));
    }

    private record Run(String text, MessageStream stream) {}

    private Run run(AnthropicClient client) {
        StringBuilder seen = new StringBuilder();
        MessageStream stream = client.messages().stream(ClientTestSupport.request());
        try (stream) {
            for (StreamEvent e : stream) {
                if (e instanceof ContentBlockDelta(int i, TextDelta(String t))) seen.append(t);
            }
        }
        return new Run(seen.toString(), stream);
    }

    @Test
    void stream_budgetReached_endsNormallyAfterTheDeltaThatReachedItAndAlertsOnce() {
        List<Long> alerts = new CopyOnWriteArrayList<>();
        TokenBudget budget = TokenBudget.of(5).withAlert(3, alerts::add);
        try (AnthropicClient client =
                ClientTestSupport.client(server.baseUrl()).tokenBudget(budget).build()) {
            Run r = run(client);

            assertEquals(pieces(5), r.text());
            assertEquals(EndReason.TOKEN_BUDGET, r.stream().endReason().orElseThrow());
            assertTrue(r.stream().failure().isEmpty());
            assertEquals(List.of(3L), alerts);
            IllegalStateException e = assertThrows(IllegalStateException.class, r.stream()::result);
            assertTrue(e.getMessage().contains("output-token budget"), e.getMessage());
            assertEquals(pieces(5), r.stream().snapshot().text());
        }
    }

    @Test
    void stream_budgetAboveTheAnswer_completesAndTheAlertSeesTheApisCount() {
        int deltas = ContinuingModel.pieces(AnthropicResumeTest.TEXT).size();
        List<Long> alerts = new CopyOnWriteArrayList<>();
        TokenBudget budget = TokenBudget.of(deltas + 10).withAlert(deltas, alerts::add);
        try (AnthropicClient client =
                ClientTestSupport.client(server.baseUrl()).tokenBudget(budget).build()) {
            Run r = run(client);

            assertEquals(AnthropicResumeTest.TEXT, r.text());
            assertEquals(EndReason.COMPLETED, r.stream().endReason().orElseThrow());
            assertEquals(List.of((long) deltas), alerts);
        }
    }

    @Test
    void stream_budgetAcrossAResume_countsBothParts() {
        String body = server.body(null);
        int at = 0;
        for (int i = 0; i < 2; i++) at = body.indexOf("event: content_block_delta", at) + 1;
        int cut = body.substring(0, body.indexOf("\n\n", at) + 2).getBytes(StandardCharsets.UTF_8).length;
        server.cut(0, cut);
        try (AnthropicClient client = ClientTestSupport.client(server.baseUrl())
                .resume(ResumePolicy.upTo(1))
                .tokenBudget(TokenBudget.of(5))
                .build()) {
            Run r = run(client);

            assertEquals(pieces(5), r.text());
            assertEquals(EndReason.TOKEN_BUDGET, r.stream().endReason().orElseThrow());
            assertEquals(1, r.stream().resumes().count());
        }
    }

    @Test
    void tokenBudget_badValues_refusedWithTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TokenBudget.of(0))
                .getMessage()
                .contains("0"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> TokenBudget.of(5).withAlert(6, n -> {}))
                .getMessage()
                .contains("alertAtTokens"));
        assertEquals(1, TokenBudget.estimate(0));
        assertEquals(2, TokenBudget.estimate(5));
    }
}
