/**
 * Sluice as LangChain4j's models: {@link dev.sluice.langchain4j.SluiceStreamingChatModel} and
 * {@link dev.sluice.langchain4j.SluiceChatModel} over any {@link dev.sluice.chat.ChatProvider} (a
 * Sluice client or a {@link dev.sluice.chat.FallbackChain}), so that AI services, chains and
 * agents stream through Sluice's clients: cancel that closes the connection at once, first-token
 * and idle timeouts, retries before content, failover, and failures that carry the partial answer.
 *
 * <p>Nulls: no method takes null unless it says so. Threading: the models are immutable and
 * thread-safe; each streamed answer runs on a virtual thread of its own. Requires
 * {@code langchain4j-core} 1.19 or a compatible version.
 */
@NullMarked
package dev.sluice.langchain4j;

import org.jspecify.annotations.NullMarked;
