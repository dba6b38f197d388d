package dev.sluice.anthropic;

/** {@code ping}: a keep-alive with no content. */
public record Ping() implements StreamEvent {
    @Override
    public String type() {
        return "ping";
    }
}
