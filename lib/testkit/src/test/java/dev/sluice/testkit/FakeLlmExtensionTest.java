package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit 5 extension: one server per class (reset between tests), per test, or as a parameter. */
class FakeLlmExtensionTest {

    @Test
    void server_outsideATest_throwsSayingSo() {
        assertThrows(IllegalStateException.class, () -> new FakeLlmExtension().server());
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerClass {
        @RegisterExtension
        static final FakeLlmExtension FAKE =
                new FakeLlmExtension(FakeLlmServer.builder().seed(7));

        static int port;

        @Test
        @Order(1)
        void first_scriptsAndLeavesAResponseQueued() {
            port = FAKE.server().port();
            FAKE.server().enqueue(FakeResponse.status(418), FakeResponse.status(418));
            try (RawHttp http = new RawHttp(FAKE.server())) {
                assertEquals(418, http.post("/x", "{}").response().status());
            }
        }

        @Test
        @Order(2)
        void second_sameServerResetBetweenTests(FakeLlmServer injected) {
            assertSame(FAKE.server(), injected);
            assertEquals(port, injected.port());
            assertTrue(injected.requests().isEmpty(), "the records were reset");
            try (RawHttp http = new RawHttp(injected)) {
                assertEquals(
                        401,
                        http.post("/v1/messages", "{}").response().status(),
                        "the queue was reset: the prompt answer checks the key");
            }
        }
    }

    @Nested
    class PerTest {
        @RegisterExtension
        final FakeLlmExtension fake = new FakeLlmExtension();

        static FakeLlmServer previous;

        @Test
        void eachTestItsOwnServer_one() {
            check();
        }

        @Test
        void eachTestItsOwnServer_two() {
            check();
        }

        private void check() {
            if (previous != null) {
                assertNotEquals(previous, fake.server());
                assertTrue(previous.terminated(), "the other test's server was closed");
            }
            previous = fake.server();
        }
    }

    @Nested
    @ExtendWith(FakeLlmExtension.class)
    class AsParameter {
        static FakeLlmServer seen;

        @Test
        void parameter_aRunningServer(FakeLlmServer server) {
            seen = server;
            assertFalse(server.terminated());
            assertTrue(server.port() > 0);
        }

        @AfterAll
        static void closedAfterTheClass() {
            // the class's server is closed after this method, by the extension's own afterAll
            assertFalse(seen.terminated());
        }
    }
}
