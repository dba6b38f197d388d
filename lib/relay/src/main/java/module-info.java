/**
 * Sluice's relay: carries model streams (and a tool runner's events) on to browsers, with no server
 * library in it. {@code dev.sluice.relay} is the relay itself (ids, replay, resume, backpressure,
 * heartbeats, the store SPI) and its event format; {@code dev.sluice.relay.protocol} the frontends'
 * protocols (the Vercel AI SDK's UI message stream, AG-UI, the OpenAI-compatible gateway), each a
 * writer and its request parser; {@code dev.sluice.relay.http} the server-neutral HTTP mapping
 * (routes, the host, origin and token guard, limits, errors, the access log) that a server
 * ({@code sluice-server}'s servlet, or a user's own) routes requests onto.
 * {@code dev.sluice.relay.internal} is the implementation and is not exported. {@code jdk.jfr} is
 * the JDK's Flight Recorder, for the {@code dev.sluice.RelayConnection} event.
 */
module dev.sluice.relay {
    requires transitive dev.sluice;
    requires jdk.jfr;
    requires io.github.resilience4j.ratelimiter;

    exports dev.sluice.relay;
    exports dev.sluice.relay.protocol;
    exports dev.sluice.relay.http;
}
