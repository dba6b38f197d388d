package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JVM's shared server: one server for many classes, nothing passing from one test to the next. */
class FakeLlmExtensionSharedTest {
    static FakeLlmServer seen;

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class OneClass {
        @RegisterExtension
        static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

        @Test
        @Order(1)
        void first_scriptsAndLeavesAResponseAndADispatcher() {
            seen = FAKE.server();
            FAKE.server().enqueue(FakeResponse.status(418), FakeResponse.status(418));
            FAKE.server().setDispatcher(r -> FakeResponse.status(418));
            try (RawHttp http = new RawHttp(FAKE.server())) {
                assertEquals(418, http.post("/x", "{}").response().status());
            }
        }

        @Test
        @Order(2)
        void second_sameServerNothingLeft() {
            assertSame(seen, FAKE.server());
            assertTrue(FAKE.server().requests().isEmpty(), "the records were reset");
            assertEquals(0, FAKE.server().requestCount());
            try (RawHttp http = new RawHttp(FAKE.server())) {
                assertEquals(
                        401,
                        http.post("/v1/messages", "{}").response().status(),
                        "queue and dispatcher reset: the prompt answer checks the key");
            }
        }
    }

    @Nested
    class AnotherClass {
        @RegisterExtension
        static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

        @Test
        void server_isTheOneTheOtherClassUsed_orTheFirstOfTheJvm() {
            FakeLlmServer first = seen;
            if (first != null) assertSame(first, FAKE.server());
            assertEquals(0, FAKE.server().requestCount());
        }

        @Test
        void aSecondClassAtTheSameTime_isRefused() {
            FakeLlmExtension other = FakeLlmExtension.shared();

            assertThrows(IllegalStateException.class, () -> other.beforeAll(null));
        }
    }
}
