package dev.sluice.testkit;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>{@link #shared()} gives every test class of the JVM one server, reset between tests in the
 * same way; a class that needs other settings ({@link FakeLlmServer.Builder}) or closes its server
 * keeps its own.
 *
 * <p>Needs JUnit Jupiter at run time; the rest of the testkit does not.
 */
@SuppressWarnings("exports") // JUnit is optional (requires static): only a test that uses this class needs it
public final class FakeLlmExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    // JUnit calls the callbacks one after another; server is volatile for a test that reads it from a thread of its
    // own.
    private final Supplier<FakeLlmServer> starter;
    private final boolean shared;
    private volatile @Nullable FakeLlmServer server;
    private boolean perClass;
    private int classes; // of a shared extension: the classes (with their nested ones) now running

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
        this.shared = false;
    }

    private FakeLlmExtension(Supplier<FakeLlmServer> starter, boolean shared) {
        this.starter = starter;
        this.shared = shared;
    }

    /**
     * {@return an extension on the JVM's shared server, with the defaults} The server starts when
     * the first class that uses it does and runs until the JVM exits; it is reset before each class
     * and after each test (queue, dispatcher, records, counts), so no script or record passes from
     * one test to the next. A test must not close it. Classes run one at a time: JUnit's parallel
     * execution of two classes on it throws {@link IllegalStateException} (give each its own
     * {@code new FakeLlmExtension()}).
     */
    public static FakeLlmExtension shared() {
        return new FakeLlmExtension(Shared::claim, true);
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
        if (shared && classes++ > 0) return; // a nested class: the outer class holds the server
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
        } else if (shared) {
            server = null;
            Shared.release();
        } else {
            server.close();
            server = null;
        }
    }

    /** Closes the class's server, or hands the shared one back. */
    @Override
    public void afterAll(ExtensionContext context) {
        if (shared) {
            if (--classes > 0) return;
            server = null;
            perClass = false;
            Shared.release();
            return;
        }
        if (server != null) server.close();
        server = null;
        perClass = false;
    }

    /**
     * The JVM's shared server: started on first use, closed by a shutdown hook, held by one test
     * class at a time. The lock guards both fields.
     */
    private static final class Shared {
        private static final ReentrantLock LOCK = new ReentrantLock();
        private static @Nullable FakeLlmServer server;
        private static boolean held;

        private Shared() {}

        static FakeLlmServer claim() {
            LOCK.lock();
            try {
                if (held)
                    throw new IllegalStateException(
                            "the shared fake server is in use by a test class running at the same"
                                    + " time: give classes that run in parallel their own new FakeLlmExtension()");
                FakeLlmServer s = server;
                if (s == null) {
                    s = FakeLlmServer.start();
                    server = s;
                    Runtime.getRuntime().addShutdownHook(new Thread(s::close, "sluice-shared-fake-server-close"));
                }
                s.reset(); // whatever a class before left
                held = true;
                return s;
            } finally {
                LOCK.unlock();
            }
        }

        static void release() {
            LOCK.lock();
            try {
                FakeLlmServer s = server;
                if (s != null) s.reset();
                held = false;
            } finally {
                LOCK.unlock();
            }
        }
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
