package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.DirectRun;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.Subscription;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The relay's admission over HTTP, without a server library: what a server adds between its
 * routing and the {@link Relay}. It checks what the relay leaves to servers — the media type, the
 * body's size and encoding, the streams running and created per client address, the token cap and
 * the models allowed — writes one access-log line per stream, and answers every refusal, the
 * relay's included, as an {@link HttpRefusal}. {@link RelayHttpApi}, {@link RelaySocket},
 * {@code ProtocolHttp} and {@link GatewayHttp} route onto it. Who may call at all (origin, host,
 * token) is {@link RequestGuard}'s.
 *
 * <p>A client's address is the connection's peer, unless the peer is a trusted proxy
 * ({@link Builder#trustedProxy}): then the one its {@code X-Forwarded-For} or {@code Forwarded}
 * header names ({@link #clientAddress}), and every limit per client and the access log count that.
 *
 * <p>Threading: safe from any thread; a client's count is released, and the access-log line
 * written, on the stream's thread when the stream ends.
 *
 * <p>A façade: the limits per client address are {@code ClientLimits}'s, a stream's admission
 * (allowlist, token cap, limits, access log) {@code StreamAdmission}'s, the body's reading {@code
 * RequestBodies}', a tool call's decision {@code ToolDecisions}' and the trusted proxies {@code
 * TrustedProxies}'. Its public surface is the builder and what a server asks before routing (the
 * client's address and scheme, the body's limits); the requests' side is this package's routes'.
 * Why this file is long: past the 250 a public class keeps to; 190 of them are {@link Builder}'s documented
 * setters, a nested class that servers and the docs name.
 */
public final class RelayAdmission {
    /** Streams running at once for one client address, by default. */
    public static final int DEFAULT_MAX_STREAMS_PER_CLIENT = 8;
    /** The largest request body, in bytes, by default. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
    /** How long a request's body may take to arrive whole, by default. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** Failed chat resumes per client address and minute, by default. */
    public static final int DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE = 60;

    private final Relay relay;
    private final ClientLimits limits;
    private final StreamAdmission streams;
    private final RequestBodies bodies;
    private final Map<String, Set<String>> models;
    private final TrustedProxies trustedProxies;
    private final int maxTokens;
    private final @Nullable KeyCaller
            caller; // the minted key this view starts streams for ({@link #keyed}); null: none

    /**
     * The relay's HTTP side with the default limits: 8 streams per client address, 64 KiB bodies
     * arriving within 10 s, no creation rate, 60 failed chat resumes per client address and minute,
     * no token cap, any model, no access log.
     *
     * @param relay the relay
     */
    public RelayAdmission(Relay relay) {
        this(builder(relay));
    }

    private RelayAdmission(Builder b) {
        this.relay = b.relay;
        this.limits = new ClientLimits(
                b.relay.store(), b.maxStreamsPerClient, b.maxCreationsPerMinute, b.maxFailedResumesPerMinute);
        this.bodies = new RequestBodies(b.maxRequestBytes, b.bodyTimeout);
        this.models = Map.copyOf(b.models);
        this.streams = new StreamAdmission(relay, limits, b.maxTokens, models, b.accessLog);
        this.trustedProxies = new TrustedProxies(b.trustedProxies);
        this.maxTokens = b.maxTokens;
        this.caller = null;
    }

    private RelayAdmission(RelayAdmission base, KeyCaller caller) {
        this.relay = base.relay;
        this.limits = base.limits;
        this.bodies = base.bodies;
        this.models = base.models;
        this.streams = base.streams;
        this.trustedProxies = base.trustedProxies;
        this.maxTokens = base.maxTokens;
        this.caller = caller;
    }

    /**
     * {@return this admission for the requests of a minted key: the same limits, and every stream it
     * starts ({@link #start(StartRequest, Relay.SourceFactory, String, Consumer)}) held to the key's
     * models, rate and budget}
     *
     * @param caller the key
     */
    RelayAdmission keyed(KeyCaller caller) {
        return new RelayAdmission(this, caller);
    }

    /**
     * {@return a builder of the relay's HTTP side, with the defaults of {@link #RelayAdmission(Relay)}}
     *
     * @param relay the relay
     */
    public static Builder builder(Relay relay) {
        return new Builder(relay);
    }

    /** {@return the relay} */
    public Relay relay() {
        return relay;
    }

    /** {@return the model allowlists by provider; a provider without one allows any model} */
    public Map<String, Set<String>> models() {
        return models;
    }

    /** {@return the largest {@code maxTokens} a request may ask for ({@link Builder#maxTokens})} */
    public int maxTokens() {
        return maxTokens;
    }

    /**
     * {@return the proxies trusted to name the client, as CIDRs ({@code 127.0.0.1/32},
     * {@code 10.0.0.0/8}); empty when none is, the default}
     */
    public List<String> trustedProxies() {
        return trustedProxies.cidrs();
    }

    /**
     * {@return whether a connection from this address is a trusted proxy's}: its requests' clients
     * are those its forwarding headers name, so a server that bounds connections per client address
     * counts them by {@link #clientAddress}, not by the proxy's
     *
     * @param peer the connection's remote address, as the server reports it ({@code 127.0.0.1},
     *     {@code ::1}, {@code [0:0:0:0:0:0:0:1]})
     */
    public boolean trustsProxy(String peer) {
        return trustedProxies.trusts(peer);
    }

    /**
     * {@return the address of the client a request came from, as the limits per client and the
     * access log count it} The peer's own, unless the peer is a trusted proxy
     * ({@link Builder#trustedProxy}); then its {@code X-Forwarded-For}, read from the right, names
     * the client: the first address that is not itself a trusted proxy's (all trusted: the left-most).
     * Without that header, RFC 7239's {@code Forwarded: for=} is read the same way (quoted IPv6 in
     * brackets, ports). An {@code unknown} or obfuscated node, or anything malformed on the way,
     * keeps the peer's address. From a peer that is not trusted both headers are ignored. Never
     * throws on a header's content, and never looks a name up.
     *
     * @param peer the connection's remote address, as the server reports it
     * @param headers a request header's values by name, one per header line (in order), empty when
     *     absent, such as {@code exchange::headers} ({@link HttpExchange#headers})
     */
    public String clientAddress(String peer, Function<String, List<String>> headers) {
        return trustedProxies.client(peer, headers);
    }

    /**
     * {@return whether the client's own request came over TLS}: the connection's, unless the peer
     * is a trusted proxy that says otherwise with {@code X-Forwarded-Proto} ({@code https} or
     * {@code http}, its last value), or, without it, {@code proto=} in the last element of
     * {@code Forwarded}; the cookies the routes set are then {@code Secure}
     *
     * @param peer the connection's remote address
     * @param tls whether the connection itself is over TLS
     * @param headers a request header's values by name, as for {@link #clientAddress}
     */
    public boolean secure(String peer, boolean tls, Function<String, List<String>> headers) {
        Boolean forwarded = trustedProxies.forwardedSecure(peer, headers);
        return forwarded != null ? forwarded : tls;
    }

    /** {@return the largest request body, in bytes} */
    public int maxRequestBytes() {
        return bodies.maxBytes();
    }

    /**
     * {@return how long a request's body may take to arrive whole, from when the server hands the
     * request (its headers) to the routes} Past it the request is answered {@code 408
     * request_timeout} and its connection closed: {@link RelayHttpApi} end a body that trickles past
     * it at its next read, and a server ends a read that waits past it ({@link HttpExchange#body}).
     */
    public Duration bodyTimeout() {
        return bodies.timeout();
    }

    // The requests' side, for the routes of this package: each refusal, the relay's included, is
    // thrown as an HttpRefusals.Refused, which the router answers in its protocol's shape.

    /**
     * {@code POST /api/streams}: reads the body ({@link #readJson}), then as {@link #start(String, String)}.
     *
     * @throws HttpRefusals.Refused as {@link #readJson} and {@link #start(String, String)}
     */
    String start(@Nullable String contentType, long declaredLength, InputStream body, String clientAddress) {
        return start(readJson(contentType, declaredLength, body), clientAddress);
    }

    /**
     * {@return a request body read as JSON text}: checks the media type, the declared and read
     * size and the UTF-8, as for {@code POST /api/streams} (and every other endpoint that takes JSON)
     *
     * @throws HttpRefusals.Refused 413 {@code request_too_large}, 415 {@code unsupported_media_type},
     *     400 {@code invalid_request} for a body that is not UTF-8 or cannot be read, 408
     *     {@code request_timeout} when reading it fails with an {@link InterruptedIOException} (the
     *     body did not arrive within {@link #bodyTimeout()})
     */
    String readJson(@Nullable String contentType, long declaredLength, InputStream body) {
        return bodies.readJson(contentType, declaredLength, body);
    }

    /**
     * Starts a stream from a start request's JSON (a body, or a WebSocket {@code start} frame), as
     * {@link #start(StartRequest, Relay.SourceFactory, String, Consumer)}.
     *
     * @return the stream's id
     * @throws HttpRefusals.Refused 400 for a malformed request, or as {@link #start(StartRequest,
     *     Relay.SourceFactory, String, Consumer)}
     */
    String start(String json, String clientAddress) {
        StartRequest request;
        try {
            request = StartRequest.parse(json);
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
        return start(request, null, clientAddress, null);
    }

    /**
     * Starts a stream of a request already parsed, from a source of the caller's own or the
     * provider's registered one (null): checks the model against the allowlist and {@code
     * maxTokens} against the cap (filling in the cap when the request names no number above it),
     * takes one of the client's creations of the minute, and counts the stream against the
     * client's address until it ends, when {@code onEnd} (if any) runs with its terminal event.
     *
     * @return the stream's id
     * @throws HttpRefusals.Refused 400 {@code model_not_allowed} or {@code max_tokens_too_large},
     *     429 {@code too_many_creations} (with {@code Retry-After}) or {@code too_many_streams} for
     *     this address, or the relay's refusal
     */
    String start(
            StartRequest request,
            Relay.@Nullable SourceFactory source,
            String clientAddress,
            @Nullable Consumer<? super RelayEvent> onEnd) {
        return streams.start(request, source, clientAddress, onEnd, caller);
    }

    /**
     * Admits a stream run straight to its one client ({@link Relay#direct}), with the admission of
     * {@link #start(StartRequest, Relay.SourceFactory, String, Consumer)}; its access-log line names
     * {@code logId}, as there is no stream id.
     *
     * @return the run, to start
     * @throws HttpRefusals.Refused as {@link #start(StartRequest, Relay.SourceFactory, String, Consumer)}
     */
    DirectRun direct(StartRequest request, Relay.SourceFactory source, String clientAddress, String logId) {
        return streams.direct(request, source, clientAddress, logId, null);
    }

    /**
     * Admits a run as {@link #direct(StartRequest, Relay.SourceFactory, String, String)}, for a
     * request made with a minted key: once admitted, its key's rate and budget are taken
     * ({@link KeyCaller#reserve}), settled when it ends; its access-log line names the key's id.
     *
     * @param caller the request's key; null for none
     * @return the run, to start
     * @throws HttpRefusals.Refused as {@link #direct(StartRequest, Relay.SourceFactory, String, String)},
     *     and 429 past the key's rate or budget
     */
    DirectRun direct(
            StartRequest request,
            Relay.SourceFactory source,
            String clientAddress,
            String logId,
            @Nullable KeyCaller caller) {
        return streams.direct(request, source, clientAddress, logId, caller);
    }

    /**
     * Counts a chat resume (or a post for a chat id) that found no chat of the client's
     * ({@link ClientLimits#failedResume}).
     *
     * @throws HttpRefusals.Refused 429 {@code too_many_failed_resumes} with {@code Retry-After}
     */
    void failedResume(String clientAddress) {
        limits.failedResume(clientAddress);
    }

    /**
     * {@code GET /api/streams/ID/events}: attaches a client, as {@link Relay#subscribe}.
     *
     * @throws HttpRefusals.Refused 404 {@code not_found}, 400 {@code invalid_request}, 410 {@code replay_unavailable}
     */
    Subscription subscribe(String streamId, @Nullable String lastEventId) {
        try {
            return relay.subscribe(streamId, lastEventId);
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
    }

    /**
     * {@code DELETE /api/streams/ID} (or a WebSocket {@code cancel}): as {@link Relay#cancel}, on
     * whichever node runs the stream.
     *
     * @return false if there is no such stream
     * @throws HttpRefusals.Refused 503 {@code unavailable} when the stream is another node's and the
     *     relay's store cannot be reached
     */
    boolean cancel(String streamId) {
        try {
            return relay.cancel(streamId);
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
    }

    /**
     * {@code POST /api/streams/ID/approvals/CALL} (or a WebSocket {@code approval} frame): decides
     * a tool call that waits for approval, as {@link Relay#approve}, or answers a running tool's
     * question ({@code tool_input}), as {@link Relay#answer}, on whichever node runs the stream.
     *
     * @param decision the decision's JSON object: {@code {"approved": true|false, "reason"?: "..."}};
     *     for a question, {@code {"approved": true, "content": {...}}} answers it (the content an
     *     object of the question's fields: strings, numbers, booleans or lists of strings) and
     *     {@code {"approved": false}} declines it (other members, such as a frame's {@code type},
     *     {@code stream} and {@code call}, ignored)
     * @throws HttpRefusals.Refused 400 {@code invalid_request} for a decision without a boolean
     *     {@code approved}, with a {@code reason} that is not a string of at most 2000
     *     characters, or with a {@code content} that is not such an object (at most 32 fields, a
     *     text at most 4000 characters) or comes with {@code approved} false; 404 {@code not_found}
     *     for an unknown stream or a call that never asked for approval or an answer; 409
     *     {@code already_decided} for a call decided already, a question answered already or whose
     *     tool has ended (or whose stream has ended); 503 {@code unavailable} when the stream is
     *     another node's and the relay's store cannot be reached
     */
    void approve(String streamId, String callId, @Nullable Map<?, ?> decision) {
        ToolDecisions.decide(relay, streamId, callId, decision);
    }

    /** Builds a {@link RelayAdmission}; each setter checks its argument at once. */
    public static final class Builder {
        private final Relay relay;
        private int maxStreamsPerClient = DEFAULT_MAX_STREAMS_PER_CLIENT;
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private int maxCreationsPerMinute;
        private int maxFailedResumesPerMinute = DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE;
        private int maxTokens = StartRequest.MAX_TOKENS_LIMIT;
        private final Map<String, Set<String>> models = new HashMap<>();
        private @Nullable Consumer<String> accessLog;
        private final List<TrustedProxies.Range> trustedProxies = new ArrayList<>();

        private Builder(Relay relay) {
            this.relay = Objects.requireNonNull(relay, "relay");
        }

        /**
         * Sets {@code maxStreamsPerClient}.
         *
         * @param n streams running at once for one client address; positive; default 8
         * @return this builder
         */
        public Builder maxStreamsPerClient(int n) {
            this.maxStreamsPerClient = positive("maxStreamsPerClient", n);
            return this;
        }

        /**
         * Sets {@code maxRequestBytes}.
         *
         * @param bytes the largest request body; positive; default 64 KiB
         * @return this builder
         */
        public Builder maxRequestBytes(int bytes) {
            this.maxRequestBytes = positive("maxRequestBytes", bytes);
            return this;
        }

        /**
         * Sets {@code bodyTimeout}.
         *
         * @param timeout how long a request's body may take to arrive whole ({@link RelayAdmission#bodyTimeout()});
         *     positive; default 10 s
         * @return this builder
         */
        public Builder bodyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "bodyTimeout");
            if (timeout.isNegative() || timeout.isZero())
                throw new IllegalArgumentException("bodyTimeout must be positive: " + timeout);
            this.bodyTimeout = timeout;
            return this;
        }

        /**
         * Sets {@code maxCreationsPerMinute}.
         *
         * @param n streams one client address may start per minute (refused with 429 and
         *     {@code Retry-After} past it), counted in the relay's store: across every node when it
         *     is shared; 0 for no limit, the default
         * @return this builder
         */
        public Builder maxCreationsPerMinute(int n) {
            if (n < 0) throw new IllegalArgumentException("maxCreationsPerMinute must not be negative: " + n);
            this.maxCreationsPerMinute = n;
            return this;
        }

        /**
         * Sets {@code maxFailedResumesPerMinute}.
         *
         * @param n chat resumes ({@code GET /api/chat/ID/stream}) and posts for a chat id that find
         *     no chat of this client's, per client address and minute: past it they are refused with
         *     429 and {@code Retry-After} (resumes that find the client's chat are never refused),
         *     counted in the relay's store, across every node when it is shared; 0 for no limit;
         *     default 60
         * @return this builder
         */
        public Builder maxFailedResumesPerMinute(int n) {
            if (n < 0) throw new IllegalArgumentException("maxFailedResumesPerMinute must not be negative: " + n);
            this.maxFailedResumesPerMinute = n;
            return this;
        }

        /**
         * Sets {@code maxTokens}.
         *
         * @param n the largest {@code maxTokens} a request may ask for, and what a request that
         *     names none gets when it is below the relay's default of 4096; positive; default the
         *     relay's own limit, 1,000,000
         * @return this builder
         */
        public Builder maxTokens(int n) {
            this.maxTokens = positive("maxTokens", n);
            if (n > StartRequest.MAX_TOKENS_LIMIT)
                throw new IllegalArgumentException(
                        "maxTokens must be at most " + StartRequest.MAX_TOKENS_LIMIT + ": " + n);
            return this;
        }

        /**
         * Allows only these models of a provider; a request naming another gets 400. A provider
         * without a list allows any model (the default).
         *
         * @param provider the provider's name in the relay
         * @param allowed the models, at least one
         * @return this builder
         */
        public Builder models(String provider, Set<String> allowed) {
            Objects.requireNonNull(provider, "provider");
            if (allowed.isEmpty())
                throw new IllegalArgumentException("the models of " + provider + " must not be empty");
            if (!relay.providers().containsKey(provider)) {
                throw new IllegalArgumentException("models for " + provider + ", which the relay does not have; it has "
                        + String.join(", ", relay.providers().keySet()));
            }
            this.models.put(provider, Set.copyOf(allowed));
            return this;
        }

        /**
         * Sets {@code accessLog}.
         *
         * @param lines receives one line per stream as it ends, on the stream's thread: time, client
         *     address, stream id, provider, model, tokens in and out, end and duration, never a
         *     prompt, an answer or a key; null for none (the default)
         * @return this builder
         */
        public Builder accessLog(@Nullable Consumer<String> lines) {
            this.accessLog = lines;
            return this;
        }

        /**
         * Trusts the proxies at these addresses to name the client: a request whose connection
         * comes from one of them counts, for every limit per client and in the access log, as the
         * client its {@code X-Forwarded-For} (or {@code Forwarded}) header names, and its
         * {@code X-Forwarded-Proto} (or {@code proto=}) tells whether the client came over TLS
         * ({@link #clientAddress}, {@link #secure}). Requests from any other address are counted
         * as their own, whatever headers they send. Repeatable. None by default: a server that is
         * reached directly must trust none, or any client could name itself anyone.
         *
         * @param cidrs one or more, comma-separated: CIDR ranges ({@code 10.0.0.0/8},
         *     {@code fd00::/8}) or single addresses ({@code 127.0.0.1} is {@code /32}, {@code ::1}
         *     {@code /128}); literals only, no names
         * @return this builder
         * @throws IllegalArgumentException naming an entry that is not an address or a range
         */
        public Builder trustedProxy(String cidrs) {
            trustedProxies.addAll(TrustedProxies.parse(Objects.requireNonNull(cidrs, "trustedProxy")));
            return this;
        }

        /** {@return the relay's HTTP side} */
        public RelayAdmission build() {
            return new RelayAdmission(this);
        }

        private static int positive(String name, int n) {
            if (n <= 0) throw new IllegalArgumentException(name + " must be positive: " + n);
            return n;
        }
    }
}
