package dev.sluice.testkit;

import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a {@link FakeLlmServer} and closes it. Registered on a static
 * field (or with {@code @ExtendWith}), one server serves the whole class, its queue, dispatcher,
 * records and request count reset after each test, as if new; on an instance field each test gets
 * its own.
 * Tests and lifecycle methods can also take the server as a {@link FakeLlmServer} parameter.
 *
 * <pre>{@code
 * class WeatherBotTest {
 *     @RegisterExtension
 *     static final FakeLlmExtension fake = new FakeLlmExtension();
 *
 *     @Test
 *     void answers() {
 *         fake.server().enqueue(FakeResponse.answer().text("Sunny"));
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Needs JUnit Jupiter at run time; the rest of the testkit does not.
 */
public final class FakeLlmExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    // JUnit calls the callbacks one after another; server is volatile for a test that reads it from a thread of its
    // own.
    private final Supplier<FakeLlmServer> starter;
    private volatile @Nullable FakeLlmServer server;
    private boolean perClass;

    /** An extension starting servers with the defaults ({@link FakeLlmServer#start()}). */
    public FakeLlmExtension() {
        this(FakeLlmServer.builder());
    }

    /**
     * An extension starting servers from this builder (it is used for each server started; do
     * not change it afterwards).
     */
    public FakeLlmExtension(FakeLlmServer.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        this.starter = builder::start;
    }

    /**
     * {@return the running server}
     *
     * @throws IllegalStateException outside a test of the class that registered the extension
     */
    public FakeLlmServer server() {
        FakeLlmServer s = server;
        if (s == null)
            throw new IllegalStateException(
                    "no fake server is running: the extension starts one for each test class or test");
        return s;
    }

    /** Starts the class's server. */
    @Override
    public void beforeAll(ExtensionContext context) {
        server = starter.get();
        perClass = true;
    }

    /** Starts the test's server, unless the class has one. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) server = starter.get();
    }

    /** Closes the test's server, or resets the class's. */
    @Override
    public void afterEach(ExtensionContext context) {
        if (server == null) return;
        if (perClass) {
            server.reset();
        } else {
            server.close();
            server = null;
        }
    }

    /** Closes the class's server. */
    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) server.close();
        server = null;
        perClass = false;
    }

    /** {@return whether the parameter is a {@link FakeLlmServer}} */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FakeLlmServer.class;
    }

    /** {@return the running server, started now for a test that takes one before its own callbacks ran} */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (server == null) server = starter.get();
        return server;
    }
}
