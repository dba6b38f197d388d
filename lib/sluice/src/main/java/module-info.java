/**
 * Sluice: streams large-language-model responses over Server-Sent Events on virtual threads.
 *
 * <p>Exported, from the bottom layer up: {@code dev.sluice} (the exception family, nothing else),
 * {@code dev.sluice.sse} (the SSE format), {@code dev.sluice.stream} (the streaming engine),
 * {@code dev.sluice.client} (the options, policies, reports and observers every client shares),
 * {@code dev.sluice.chat} (the provider-neutral view), {@code dev.sluice.call} (the base class the four provider clients share), one package per provider, {@code dev.sluice.vertex} (Google Vertex AI's project, location and credentials, which the Gemini and Anthropic clients take),
 * {@code dev.sluice.eventsource} (the reconnecting SSE client), and {@code dev.sluice.agent} (the tool
 * runner), {@code dev.sluice.mcp} (the MCP client whose servers' tools the runner offers) and {@code dev.sluice.objects} (typed partial objects). The relay that carries streams on to browsers is the artifact {@code sluice-relay}.
 * {@code dev.sluice.internal.low.*} (HTTP transport, JSON, immutable values: below the engine) and
 * {@code dev.sluice.internal.call.*} (opening, retries, resume, observation, JDK Flight Recorder:
 * above the neutral layer) are the implementation and are not exported. {@code jdk.jfr} is the
 * JDK's Flight Recorder, for the {@code dev.sluice.*} events.
 */
// "module": the qualified export names modules built after this one, which javac warns are not found
@SuppressWarnings("module")
module dev.sluice {
    requires transitive java.net.http;
    requires transitive org.jspecify; // the nullness annotations on the API (annotations only)
    requires com.fasterxml.jackson.core;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.core;
    requires jdk.jfr; // the dev.sluice.Stream and dev.sluice.Retry events
    requires java.xml; // the JDK's XML parser: AWS STS answers in XML (internal.low.aws)
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.bulkhead;
    requires io.github.resilience4j.ratelimiter;

    exports dev.sluice;
    exports dev.sluice.sse;
    exports dev.sluice.stream;
    exports dev.sluice.client;
    exports dev.sluice.chat;
    exports dev.sluice.call;
    exports dev.sluice.anthropic;
    exports dev.sluice.openai;
    exports dev.sluice.gemini;
    exports dev.sluice.aws;
    exports dev.sluice.bedrock;
    exports dev.sluice.azure;
    exports dev.sluice.vertex;
    exports dev.sluice.eventsource;
    exports dev.sluice.agent;
    exports dev.sluice.objects;
    exports dev.sluice.mcp;
    exports dev.sluice.models;
    exports dev.sluice.providers;

    // JSON text for Sluice's own artifacts (the relay's writers, the tool's tests): not an API
    exports dev.sluice.internal.low.json.text to
            dev.sluice.relay,
            dev.sluice.cli;
}
