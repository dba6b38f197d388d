/**
 * Sluice: streams large-language-model responses over Server-Sent Events on virtual threads.
 *
 * <p>Exported: {@code dev.sluice} (the exception family), {@code dev.sluice.sse} (the SSE format),
 * {@code dev.sluice.stream} (the streaming engine), {@code dev.sluice.chat} (the provider-neutral
 * view), one package per provider, {@code dev.sluice.eventsource} (the reconnecting SSE
 * client), {@code dev.sluice.agent} (the tool runner), {@code dev.sluice.relay} (the browser
 * protocol) and {@code dev.sluice.observe} (stream observers). {@code dev.sluice.internal} is the
 * implementation and is not exported. {@code jdk.jfr} is the JDK's Flight Recorder, for the
 * {@code dev.sluice.*} events.
 */
module dev.sluice {
    requires transitive java.net.http;
    requires com.fasterxml.jackson.core;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.core;
    requires jdk.jfr; // the dev.sluice.Stream, dev.sluice.Retry and dev.sluice.RelayConnection events
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.bulkhead;
    requires io.github.resilience4j.ratelimiter;

    exports dev.sluice;
    exports dev.sluice.sse;
    exports dev.sluice.stream;
    exports dev.sluice.chat;
    exports dev.sluice.anthropic;
    exports dev.sluice.openai;
    exports dev.sluice.gemini;
    exports dev.sluice.eventsource;
    exports dev.sluice.agent;
    exports dev.sluice.relay;
    exports dev.sluice.observe;
}
