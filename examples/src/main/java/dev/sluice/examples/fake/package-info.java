/**
 * An embedded fake LLM API (Anthropic Messages, OpenAI Chat Completions and Google Gemini),
 * {@link dev.sluice.examples.fake.FakeAnthropicServer}:
 * real HTTP on loopback, paced event streams, tool use, thinking and injected faults, so that
 * examples, tests and benchmarks run offline.
 *
 * <p>Nulls: arguments are non-null unless documented otherwise. Threading: the server is safe to
 * use from any thread; it answers each request on its own virtual thread.
 */
package dev.sluice.examples.fake;
