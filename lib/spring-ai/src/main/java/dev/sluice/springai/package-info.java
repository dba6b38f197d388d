/**
 * Sluice as a Spring AI chat model: {@link dev.sluice.springai.SluiceChatModel}, a
 * {@code ChatModel} and {@code StreamingChatModel} over any Sluice {@link dev.sluice.chat.ChatProvider}
 * (a client or a {@link dev.sluice.chat.FallbackChain}), and its options,
 * {@link dev.sluice.springai.SluiceChatOptions}.
 *
 * <p>Nulls: no method takes null unless its Javadoc says so; option getters return null for a value
 * not set, as Spring AI's do. Threading: the model is immutable and safe to share; the options are
 * immutable, their builders not thread-safe. The artifact is an automatic module named
 * {@code dev.sluice.springai} (Spring AI's own jars name no module).
 */
@NullMarked
package dev.sluice.springai;

import org.jspecify.annotations.NullMarked;
