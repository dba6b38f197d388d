package dev.sluice.openai;

/**
 * {@code data: [DONE]}: the end of a Chat Completions stream. A client's stream delivers it as its
 * last event and releases the connection at once.
 */
public record DoneEvent() implements ChatCompletionEvent {}
