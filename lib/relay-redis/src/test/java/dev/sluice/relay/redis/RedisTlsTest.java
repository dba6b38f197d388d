package dev.sluice.relay.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.relay.redis.server.RedisCluster;
import dev.sluice.relay.redis.server.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A {@code rediss://} store checks whom it talks to as HTTPS does, against real {@code redis-server}s
 * with TLS (the certificates under {@code src/test/resources/tls}, README there): a certificate that
 * names another host, or comes from a CA not trusted, is refused in the handshake, before the
 * store's {@code AUTH} (an ACL user's, counted in {@code INFO commandstats}) reaches the server.
 */
class RedisTlsTest {
    private static final String PASSWORD = "s3cret-redis-password";

    /** A TLS server whose certificate names only {@code redis.other.example}, signed by the pinned CA. */
    private static Tls otherHost;
    /** A TLS server whose certificate names {@code localhost} and {@code 127.0.0.1}, signed by the pinned CA. */
    private static Tls localhost;

    /** A {@code redis-server} with a TLS port beside its plain one, and an ACL user with {@link #PASSWORD}. */
    private record Tls(RedisServer server, int tlsPort) {
        static Tls start(String certificate) throws IOException {
            int tlsPort;
            try (ServerSocket s = new ServerSocket(0)) {
                tlsPort = s.getLocalPort();
            }
            return new Tls(
                    RedisServer.start(List.of(
                            "--tls-port",
                            Integer.toString(tlsPort),
                            "--tls-cert-file",
                            file(certificate + ".pem").toString(),
                            "--tls-key-file",
                            file(certificate + ".key").toString(),
                            "--tls-ca-cert-file",
                            file("ca.pem").toString(),
                            "--tls-auth-clients",
                            "no",
                            "--user",
                            "sluice",
                            "on",
                            ">" + PASSWORD,
                            "~*",
                            "&*",
                            "+@all")),
                    tlsPort);
        }

        String url(String host) {
            return "rediss://sluice:" + PASSWORD + "@" + host + ":" + tlsPort + "/0";
        }

        /** {@return how many commands that carry a password ({@code AUTH}, {@code HELLO}) reached the server} */
        long auths() {
            return server.calls("auth", "hello");
        }

        void resetStats() {
            server.resetStats();
        }
    }

    @BeforeAll
    static void start() throws IOException {
        otherHost = Tls.start("other-host");
        localhost = Tls.start("localhost");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (otherHost != null) otherHost.server().close();
        if (localhost != null) localhost.server().close();
    }

    static Path file(String name) {
        try {
            return Path.of(Objects.requireNonNull(RedisTlsTest.class.getResource("/tls/" + name), name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@return what the store's log said when it pinged a server it refuses, after checking that the ping failed}
     * The store says that Redis went away once, from the thread that found it first: the ping's, or its liveness
     * refresh's, which may log it a moment after the ping has thrown; so the warning is awaited.
     */
    private static String refused(RedisRelayStore.Builder builder) {
        try (Logged log = new Logged();
                RedisRelayStore store = builder.build()) {
            RelayException e = assertThrows(RelayException.class, store::ping);
            assertEquals(RelayException.Kind.UNAVAILABLE, e.kind());
            assertTrue(!e.getMessage().contains(PASSWORD), e.getMessage());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.records.stream().anyMatch(r -> r.getLevel() == Level.WARNING));
            String said = String.join(
                    "\n", log.records.stream().map(r -> r.getMessage()).toList());
            assertTrue(!said.contains(PASSWORD), said);
            return said;
        }
    }

    @Test
    void certificateNamingAnotherHost_refusedInTheHandshake_beforeAuth() {
        otherHost.resetStats();
        for (String host : List.of("localhost", "127.0.0.1")) {
            String said = refused(RedisRelayStore.builder(otherHost.url(host)).trustedCa(file("ca.pem")));
            assertTrue(said.contains("TLS host-name verification failed"), said);
        }
        assertEquals(0, otherHost.auths(), "the password never reached the server");
    }

    @Test
    void certificateNamingTheHost_withThePinnedCa_works() {
        localhost.resetStats();
        for (String host : List.of("localhost", "127.0.0.1")) {
            RedisRelayStore store = RedisRelayStore.builder(localhost.url(host))
                    .trustedCa(file("ca.pem"))
                    .build();
            try (store) {
                store.ping();
            }
            // its liveness refresh has ended (with a connection it was opening): no AUTH reaches the server later
            assertFalse(store.livenessRunning(), "the liveness refresh outlived close");
        }
        assertTrue(localhost.auths() >= 2, "the store authenticated over TLS: " + localhost.auths());
    }

    @Test
    void certificateOfAnotherCa_refusedBeforeAuth() {
        localhost.resetStats();
        String said =
                refused(RedisRelayStore.builder(localhost.url("localhost")).trustedCa(file("other-ca.pem")));
        assertTrue(said.contains("TLS certificate not trusted"), said);
        said = refused(RedisRelayStore.builder(localhost.url("localhost"))); // the JDK's CAs do not hold the test CA
        assertTrue(said.contains("TLS certificate not trusted"), said);
        assertEquals(0, localhost.auths(), "the password never reached the server");
    }

    /**
     * A cluster's nodes are reached at the addresses they announce (127.0.0.1 here), and each of
     * those connections checks that address: reached as {@code localhost}, the seed's certificate
     * naming {@code localhost} only passes, the nodes' do not; once they name 127.0.0.1 too, the
     * store works.
     */
    @Test
    void cluster_eachNodeVerifiedByTheAddressItAnnounces() throws Exception {
        List<Integer> tlsPorts = new CopyOnWriteArrayList<>();
        try (RedisCluster cluster = RedisCluster.start(0, tls -> {
            tlsPorts.add(tls);
            return List.of(
                    "--tls-port",
                    Integer.toString(tls),
                    "--tls-cluster",
                    "yes",
                    "--tls-cert-file",
                    file("localhost-name.pem").toString(),
                    "--tls-key-file",
                    file("localhost-name.key").toString(),
                    "--tls-ca-cert-file",
                    file("ca.pem").toString(),
                    "--tls-auth-clients",
                    "optional");
        })) {
            String url = "rediss://localhost:" + tlsPorts.getFirst() + "/0";
            String said = refused(RedisRelayStore.builder(url).trustedCa(file("ca.pem")));
            assertTrue(said.contains("TLS host-name verification failed"), said);
            assertTrue(said.contains("127.0.0.1"), said);

            for (RedisCluster.Node n : cluster.nodes()) {
                try (Jedis j = new Jedis("127.0.0.1", n.port())) {
                    j.configSet(
                            "tls-cert-file",
                            file("localhost.pem").toString(),
                            "tls-key-file",
                            file("localhost.key").toString());
                }
            }
            try (RedisRelayStore store =
                    RedisRelayStore.builder(url).trustedCa(file("ca.pem")).build()) {
                store.ping();
                assertTrue(store.toString().contains("Redis Cluster"), store.toString());
            }
        }
    }

    @Test
    void trustedCa_onAPlainUrl_refused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RedisRelayStore.builder("redis://127.0.0.1:1/0").trustedCa(file("ca.pem")));
        assertTrue(e.getMessage().contains("rediss://"), e.getMessage());
    }

    @Test
    void trustedCa_aFileThatIsNoCertificate_refusedNamingIt(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.pem");
        Path key = file("localhost.key");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        for (Path bad : List.of(missing, key, empty)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> RedisRelayStore.builder("rediss://127.0.0.1:1/0").trustedCa(bad));
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
    }
}
