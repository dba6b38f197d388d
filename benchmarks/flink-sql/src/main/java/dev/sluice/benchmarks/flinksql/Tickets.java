package dev.sluice.benchmarks.flinksql;

import org.apache.flink.table.functions.ScalarFunction;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's prompts: {@code TICKET(id)} is a support ticket to classify, made from the id
 * alone (the same id gives the same ticket), 250–400 characters as a customer writes them, each
 * asking for a category and a one-sentence summary.
 */
public final class Tickets extends ScalarFunction {
    private static final String[] CUSTOMERS = {
        "Ana Souza",
        "Jonas Weber",
        "Priya Natarajan",
        "Tom O'Brien",
        "Mei Lin",
        "Kwame Mensah",
        "Sofia Rossi",
        "Lars Nilsson",
        "Fatima Zahra",
        "Diego Herrera",
        "Yuki Tanaka"
    };
    private static final String[] PRODUCTS = {
        "the Pro plan",
        "order #%d",
        "the mobile app",
        "my team workspace",
        "the invoice for October",
        "the API key page",
        "the CSV export",
        "the standing desk I ordered"
    };
    private static final String[] ISSUES = {
        "I was charged twice for %s this month and the second charge is still pending on my card. Can you refund it?",
        "%s has not arrived although tracking said delivered three days ago. Nobody in the building received it.",
        "Since this morning %s shows a blank screen after login, on two phones. Reinstalling did not help.",
        "I cannot change the owner of %s because the person who created it left the company last week.",
        "Exports from %s cut off after 10,000 rows; we need all 48,000 for the audit on Friday.",
        "The discount code from your newsletter was not applied to %s, and the total is 20%% higher than advertised.",
        "Two-factor codes for %s arrive ten minutes late, so they expire before I can use them.",
        "Is there a way to move %s to another region? Our compliance team asked for EU-only storage."
    };

    /**
     * {@return the prompt for ticket {@code id}}
     *
     * @param id the ticket's number, from 1
     */
    public String eval(@Nullable Long id) {
        long n = id == null ? 0 : id;
        int i = Math.floorMod(n * 7919, ISSUES.length);
        String product = String.format(PRODUCTS[Math.floorMod(n * 31, PRODUCTS.length)], 100_000 + n);
        return "Classify this support ticket as billing, shipping, account, technical or other, then summarise it in one sentence."
                + "\n\nTicket " + n + " from " + CUSTOMERS[Math.floorMod(n, CUSTOMERS.length)] + ": "
                + String.format(ISSUES[i], product) + " Thanks.";
    }
}
