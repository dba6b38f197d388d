/**
 * A fake LLM API on loopback for tests, in the spirit of OkHttp's MockWebServer:
 * {@link dev.sluice.testkit.FakeLlmServer} serves the Anthropic Messages, OpenAI Chat Completions
 * and Responses, Google Gemini and Amazon Bedrock Runtime APIs on one port (the Bedrock test key is
 * {@link dev.sluice.testkit.clouds.FakeBedrock}'s); {@link dev.sluice.testkit.FakeResponse}
 * scripts what a request gets (text, thinking and tool calls in each API's wire format, structured
 * output with its failures, errors, faults, pacing, captured streams replayed as they are); {@link dev.sluice.testkit.RecordedRequest}
 * is what a request sent; {@link dev.sluice.testkit.FakeLlmExtension} starts and stops a server
 * for JUnit 5 tests. Without a script, the server answers every prompt with one plain text that
 * quotes it, paced when asked (the {@code sluice} tool's demo model answers in words on the same
 * server).
 *
 * <p>Nulls: arguments are non-null unless documented otherwise. Threading: the server is safe to
 * use from any thread; it answers each connection on its own virtual thread. Responses and
 * recorded requests are immutable.
 */
@NullMarked
package dev.sluice.testkit;

import org.jspecify.annotations.NullMarked;
