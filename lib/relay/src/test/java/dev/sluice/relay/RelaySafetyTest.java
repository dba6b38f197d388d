package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.CredentialsException;
import dev.sluice.ProtocolException;
import dev.sluice.TransportException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a relay lets out and holds: {@code error} events carry a kind, a short safe message and
 * the request id, nothing of the upstream's addresses, Java class names or raw bodies; a failure,
 * even an {@link Error}, ends its own stream only; replay buffers are bounded by the UTF-8 bytes
 * they hold; stream ids are 128 random bits.
 */
class RelaySafetyTest {
    private final List<Relay> relays = new ArrayList<>();

    @AfterEach
    void closeRelays() {
        relays.forEach(Relay::close);
    }

    private Relay relay(TestProvider p, RelayLimits limits) {
        Relay r = Relay.builder()
                .provider("test", p, "m")
                .limits(limits)
                .attachTimeout(Duration.ofMinutes(1))
                .build();
        relays.add(r);
        return r;
    }

    /** A failure a provider may throw, and what must not reach the browser from it. */
    record Failure(String name, RuntimeException thrown, String type, List<String> hidden) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Failure> failures() {
        return Stream.of(
                new Failure(
                        "api error, long message",
                        (RuntimeException) new ApiException(
                                        400,
                                        "invalid_request_error",
                                        "max_tokens: " + "too many ".repeat(60) + "END",
                                        true,
                                        null)
                                .initContext("req_011abc", null),
                        "invalid_request_error",
                        List.of("END")),
                new Failure(
                        "raw upstream body",
                        (RuntimeException) new ApiException(
                                        502,
                                        "http_error_502",
                                        "<html><body>Bad gateway: upstream 10.1.2.3:8443 refused</body></html>",
                                        false,
                                        null)
                                .initContext("req_022", null),
                        "http_error_502",
                        List.of("10.1.2.3", "<html>", "Bad gateway")),
                new Failure( // was "the stream failed": the cause is named, not where the server looked
                        "no credentials",
                        new CredentialsException(
                                CredentialsException.Kind.NOT_FOUND,
                                "no AWS credentials were found; tried, in the AWS SDK's order: AWS_ACCESS_KEY_ID,"
                                        + " /home/alice/.aws/credentials, http://169.254.169.254:80. Set AWS_ACCESS_KEY_ID",
                                null),
                        "credentials_not_found",
                        List.of("/home/alice", "169.254", "AWS_ACCESS_KEY_ID")),
                new Failure(
                        "transport",
                        new TransportException(
                                "the connection to https://llm.internal.example:8443/v1/messages failed "
                                        + "while reading the stream: java.io.IOException: connection reset",
                                new java.io.IOException("reset")),
                        "transport_error",
                        List.of("llm.internal.example", "8443", "java.io", "IOException")),
                new Failure(
                        "protocol",
                        new ProtocolException(
                                "malformed JSON in event content_block_delta: {\"secret-ish\": " + "data from upstream",
                                null),
                        "protocol_error",
                        List.of("secret-ish", "upstream")),
                new Failure(
                        "api error naming addresses",
                        (RuntimeException) new ApiException(
                                        502,
                                        "api_error",
                                        "upstream http://10.1.2.3:8080/secret/path failed (host: 127.0.0.1:5432, proxy [::1]:9000, peer"
                                                + " fe80::1ff:fe23:4567:890a, {\"upstream\":\"gw.internal.example:8443\",\"via\":\"https:\\/\\/edge.example\\/x\"})",
                                        true,
                                        null)
                                .initContext("req_033", null),
                        "api_error",
                        List.of(
                                "10.1.2.3",
                                "secret",
                                "127.0.0.1",
                                "5432",
                                "::1",
                                "9000",
                                "fe80",
                                "gw.internal",
                                "8443",
                                "edge")),
                new Failure(
                        "a bug",
                        new IllegalStateException("dev.sluice.internal.Something broke at 10.9.9.9"),
                        "internal_error",
                        List.of("IllegalStateException", "dev.sluice", "10.9.9.9", "java.")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void errorEvent_upstreamFailure_typeShortSafeMessageAndRequestIdOnly(Failure f) {
        TestProvider p = new TestProvider(TestProvider.words(5));
        p.failAfter = 2;
        p.failure = f.thrown();
        Relay relay = relay(p, RelayLimits.defaults());
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Subscription.Outcome.COMPLETE, relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
        Recorded r = Recorded.of(out);
        assertEquals("error", r.types().getLast());
        Map<?, ?> error = (Map<?, ?>)
                dev.sluice.chat.PartialJson.parse(r.events().getLast().data()).value();
        assertEquals(f.type(), error.get("type"));
        String message = (String) error.get("message");
        assertTrue(!message.isBlank() && message.length() <= FailureEvents.MAX_SHOWN_MESSAGE_CHARS + 1, message);
        for (String hidden : f.hidden())
            assertFalse(r.events().getLast().data().contains(hidden), hidden + " in " + error);
        if (f.thrown() instanceof ApiException a) assertEquals(a.requestId().orElseThrow(), error.get("requestId"));
        else assertFalse(error.containsKey("requestId"), error.toString());
    }

    /**
     * Every target of a fallback chain failing to connect reaches the browser as what happened to
     * the last one, "the connection to the provider failed", not as a stream that ended early (the
     * chain's own summary is an IncompleteStreamException).
     */
    @Test
    void errorEvent_everyTargetOfAFallbackChainFailedToConnect_saysTheConnectionFailed() {
        List<TestProvider> targets = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TestProvider p = new TestProvider(TestProvider.words(5));
            p.failAfter = 0;
            p.failure = new TransportException(
                    "the connection to 10.0." + i + ".1:8089 failed before a response arrived:" + " connection refused",
                    new java.net.ConnectException());
            targets.add(p);
        }
        dev.sluice.chat.FallbackChain chain = dev.sluice.chat.FallbackChain.builder()
                .target("first", targets.get(0), "m")
                .target("second", targets.get(1), "m")
                .build();
        Relay relay = Relay.builder()
                .provider("test", chain, "m")
                .attachTimeout(Duration.ofMinutes(1))
                .build();
        relays.add(relay);
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Subscription.Outcome.COMPLETE, relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
        Recorded r = Recorded.of(out);
        assertEquals("error", r.types().getLast());
        Map<?, ?> error = (Map<?, ?>)
                dev.sluice.chat.PartialJson.parse(r.events().getLast().data()).value();
        assertEquals("transport_error", error.get("type"), error.toString());
        assertEquals("the connection to the provider failed", error.get("message"), error.toString());
        assertFalse(
                r.events().getLast().data().contains("10.0."),
                r.events().getLast().data());
    }

    @Test
    void shown_addresses_replacedEachByOnePlaceholder() {
        assertEquals(
                "[address] failed at [address], [address] and [address]; see [address].",
                FailureEvents.shown(
                        "http://10.0.0.5:8080/v1/messages failed at localhost:11434, 192.168.1.20 and [fe80::1%eth0]:443;"
                                + " see https://status.example.com/incidents?id=7."));
        assertEquals(
                "{\"host\":\"[address]\",\"ip\":\"[address]\",\"v6\":\"[address]\"}",
                FailureEvents.shown(
                        "{\"host\":\"cache.svc.cluster.local:6379\",\"ip\":\"10.2.3.4:80\",\"v6\":\"2001:db8::8a2e:370:7334\"}"));
    }

    @Test
    void shown_proseFieldPathsTimesAndVersions_unchanged() {
        String prose = "messages.0.content.1.text: at 12:30:45 UTC, std::vector<int> in gemini-2.5-flash v1.2.3.4;"
                + " max_tokens:1024, ratio 16:9, temperature must be within 0..1, not 1.5 (see the docs)";
        assertEquals(prose, FailureEvents.shown(prose));
    }

    @Test
    void pump_clientRefusesTheRequestBeforeSending_invalidRequestErrorWithItsMessage() {
        dev.sluice.chat.ChatProvider refusing = (request, controller) -> {
            throw new IllegalArgumentException("temperature must be within 0..1 for Anthropic, not 1.5");
        };
        Relay relay = Relay.builder().provider("refusing", refusing, "m").build();
        relays.add(relay);
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Subscription.Outcome.COMPLETE, relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
        Recorded r = Recorded.of(out);
        assertEquals(List.of("error"), r.types(), "nothing started");
        assertEquals(
                "{\"type\":\"invalid_request_error\",\"message\":\"temperature must be within 0..1 for Anthropic, not 1.5\"}",
                r.events().getLast().data());
    }

    @Test
    void pump_errorThrownInOneStream_thatStreamEndsWithInternalErrorAndAnotherRuns() {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler(
                (t, e) -> uncaught.add(e)); // the error this test provokes: not printed
        try {
            TestProvider failing = new TestProvider(TestProvider.words(5));
            failing.failAfter = 1;
            failing.failure = new StackOverflowError("deep in a source");
            TestProvider fine = new TestProvider(TestProvider.words(20));
            Relay relay = Relay.builder()
                    .provider("failing", failing, "m")
                    .provider("fine", fine, "m")
                    .build();
            relays.add(relay);
            String bad = relay.start(StartRequest.parse("{\"prompt\":\"hi\",\"provider\":\"failing\"}"));
            AtomicReference<Recorded> got = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                relay.subscribe(bad, null).deliver(new SseRelayWriter(out));
                got.set(Recorded.of(out));
            });
            // the error ends its stream and never escapes a thread: these waits do not catch uncaught errors
            // themselves, the list below does
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5)).until(() -> got.get() != null);
            assertEquals(List.of("start", "delta", "error"), got.get().types());
            assertTrue(
                    got.get().events().getLast().data().startsWith("{\"type\":\"internal_error\","),
                    got.get().events().getLast().data());
            assertFalse(got.get().events().getLast().data().contains("StackOverflowError"));
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5)).until(() -> relay.activeStreams() == 0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String ok = relay.start(StartRequest.parse("{\"prompt\":\"hi\",\"provider\":\"fine\"}"));
            relay.subscribe(ok, null).deliver(new SseRelayWriter(out));
            assertEquals(fine.text(), Recorded.of(out).text());
            reader.interrupt();
            await().dontCatchUncaughtExceptions()
                    .during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(uncaught::isEmpty); // no "Exception in thread": the producer's thread never rethrows it
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void replayBuffer_multiByteText_boundedByItsUtf8BytesNotItsChars() {
        TestProvider p = new TestProvider(List.of());
        p.endless = true;
        p.endlessText = "ж".repeat(1000); // 1,000 chars, 2,000 bytes in UTF-8
        long bound = 1_000_000;
        Relay relay = relay(p, RelayLimits.defaults().withReplay(100_000, bound));
        relay.start(StartRequest.parse("{\"prompt\":\"hi\"}")); // no client: the buffer fills, then the upstream waits
        awaitStill(p);
        // the buffer's bytes, plus the stream's own queue of 256 chunks and the one in hand
        long held = p.produced.get() - 256 - 2;
        assertTrue(
                held * 2000 <= bound, "the buffer holds " + held + " deltas of 2,000 bytes, past " + bound + " bytes");
    }

    @Test
    void replayBuffers_multiByteText_heapAfterGcStaysUnderTheirBound() {
        long bound = 2L * 1024 * 1024;
        int streams = 8;
        // what the streams hold is read against the heap before them, both after a full collection (which
        // System.gc() is on every collector): no reading depends on when the closed streams let go
        long before = usedAfterGc();
        List<TestProvider> providers = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            TestProvider p = new TestProvider(List.of());
            p.endless = true;
            p.endlessText = "ж".repeat(1000);
            relay(p, RelayLimits.defaults().withReplay(100_000, bound))
                    .start(StartRequest.parse("{\"prompt\":\"hi\"}"));
            providers.add(p);
        }
        providers.forEach(RelaySafetyTest::awaitStill);
        long held = usedAfterGc() - before;
        // each stream: its buffer (the bound, in UTF-8 bytes; UTF-16 in the heap is as big for Cyrillic),
        // its queue of 256 chunks of 2,000 bytes, and some overhead
        long allowed = streams * (bound + 256 * 2_100L + 200_000);
        assertTrue(held > streams * bound / 2, "the streams held their buffers: " + held);
        assertTrue(held < allowed, "the streams held " + held + " bytes; their bounds allow " + allowed);
        closeRelays();
        relays.clear(); // nothing holds the streams now: the heap gives back what they held
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    long left = usedAfterGc() - before;
                    assertTrue(
                            left < streams * bound / 4,
                            "closed, the streams still hold " + left + " of " + held + " bytes");
                });
    }

    @Test
    void start_ids_128RandomBitsEachAndNeverTheSame() {
        Relay relay = relay(new TestProvider(List.of("a")), RelayLimits.defaults());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
            assertEquals(16, Base64.getUrlDecoder().decode(id).length, id);
            assertTrue(ids.add(id), id);
        }
    }

    /** Waits until the provider has stopped producing: two readings a poll apart agree. */
    private static void awaitStill(TestProvider p) {
        long[] previous = {-1};
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    long now = p.produced.get();
                    boolean still = now > 0 && now == previous[0];
                    previous[0] = now;
                    return still;
                });
    }

    static long usedAfterGc() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
