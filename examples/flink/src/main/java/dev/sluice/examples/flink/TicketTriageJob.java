package dev.sluice.examples.flink;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Flink SQL with {@code 'provider' = 'sluice'}: each support ticket triaged into typed columns
 * (structured output). Arguments: {@code [PROVIDER:MODEL] [FALLBACK_PROVIDER:MODEL]}, default
 * {@code anthropic:claude-haiku-5-5} and no fallback; each provider's key and endpoint come from the
 * task managers' environment ({@code ANTHROPIC_API_KEY}, {@code OPENAI_API_KEY}, ...).
 */
public final class TicketTriageJob {
    private TicketTriageJob() {}

    public static void main(String[] args) throws Exception {
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        String model = args.length > 0 ? args[0] : "anthropic:claude-haiku-5-5";
        String fallback = args.length > 1 ? args[1] : null;
        triage(tables, model, fallback == null ? "" : "'fallback' = '" + fallback + "',")
                .print();
    }

    /** {@return the running query: every ticket with its category, urgency and summary; {@code more} adds options} */
    public static TableResult triage(TableEnvironment tables, String model, String more) {
        tables.executeSql("""
                CREATE TEMPORARY VIEW tickets AS SELECT * FROM (VALUES
                  ('My invoice for March was charged twice, please refund one.'),
                  ('The app crashes when I open settings on Android 15.'),
                  ('How do I export my data as CSV?')) AS t(ticket)""");
        tables.executeSql("""
                CREATE TEMPORARY MODEL triage
                INPUT (ticket STRING)
                OUTPUT (category STRING, urgent BOOLEAN, summary STRING, error STRING)
                WITH (
                  'provider' = 'sluice',
                  'model' = '%s', %s
                  'system-prompt' = 'Triage the support ticket: billing, bug or question; urgent or not; one-line summary.',
                  'max-tokens' = '256',
                  'total-timeout' = '60 s',
                  'on-error' = 'null')""".formatted(model, more));
        return tables.executeSql("""
                SELECT ticket, category, urgent, summary, error
                FROM ML_PREDICT(TABLE tickets, MODEL triage, DESCRIPTOR(ticket),
                                MAP['async', 'true', 'max-concurrent-operations', '16', 'timeout', '2 min'])""");
    }
}
