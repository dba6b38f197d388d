package dev.sluice.anthropic;

/** {@code message_stop}: the message is complete; the stream ends here. */
public record MessageStop() implements StreamEvent {
    @Override
    public String type() {
        return "message_stop";
    }
}
