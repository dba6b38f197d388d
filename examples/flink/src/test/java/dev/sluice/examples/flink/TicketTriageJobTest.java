package dev.sluice.examples.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.testkit.FakeLlmServer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

class TicketTriageJobTest {
    @Test
    void triage_threeTickets_typedColumnsForEach() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.start()) {
            TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
            List<Row> rows = new ArrayList<>();
            try (CloseableIterator<Row> it = TicketTriageJob.triage(
                            tables, "anthropic:claude-haiku-5-5", "'base-url' = '" + server.baseUrl() + "',")
                    .collect()) {
                it.forEachRemaining(rows::add);
            }
            assertEquals(3, rows.size());
            for (Row r : rows) {
                assertNull(r.getField("error"), r.toString());
                assertNotNull(r.getField("category"), r.toString());
            }
        }
    }
}
