package dev.sluice.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The watch catches what holds a carrier — each case made to happen on purpose — and nothing else:
 * a park under a class initializer (pinned on every JDK), a virtual thread waiting on a pipe, a
 * park inside {@code synchronized} (pinned on JDK 21–23 only); not the same read on a platform
 * thread, nor frames outside the watched packages.
 */
class PinningWatchTest {
    private static final List<String> HERE = List.of("dev.sluice.testkit.");

    /** Parks for 50 ms while it is initialized: a virtual thread that initializes it stays on its carrier. */
    static final class ParksWhileInitialized {
        static {
            LockSupport.parkNanos(50_000_000L);
        }

        static void touch() {}
    }

    /** A second one, for the class run through the launcher (a class is initialized once). */
    static final class AlsoParksWhileInitialized {
        static {
            LockSupport.parkNanos(50_000_000L);
        }

        static void touch() {}
    }

    /** Reads the first byte a child process writes after a second of silence. */
    private static void readIdlePipe() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "sleep 1; echo x").start();
            try (InputStream in = p.getInputStream()) {
                assertEquals('x', in.read());
            } finally {
                p.destroy();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> watched(List<String> packages, Runnable work) throws InterruptedException {
        PinningWatch.Session session = PinningWatch.Session.start(packages);
        work.run();
        return session.stop();
    }

    private static void onVirtualThread(Runnable task) {
        try {
            Thread.ofVirtual().start(task).join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void session_aVirtualThreadParksInAClassInitializer_reportedWithTheInitializerOnTheStack() throws Exception {
        List<String> found = watched(HERE, () -> onVirtualThread(ParksWhileInitialized::touch));
        assertEquals(1, found.size(), found.toString());
        assertTrue(
                found.getFirst().startsWith("a virtual thread parked while pinned to its carrier"), found.getFirst());
        assertTrue(
                found.getFirst().contains("at dev.sluice.testkit.PinningWatchTest$ParksWhileInitialized.<clinit>"),
                found.getFirst());
    }

    @Test
    void session_aVirtualThreadWaitsOnAnIdlePipe_reportedAsABlockingRead() throws Exception {
        List<String> found = watched(HERE, () -> onVirtualThread(PinningWatchTest::readIdlePipe));
        assertEquals(1, found.size(), found.toString());
        assertTrue(
                found.getFirst().startsWith("a virtual thread waited in a blocking read of a pipe or file descriptor"),
                found.getFirst());
        assertTrue(found.getFirst().contains("at dev.sluice.testkit.PinningWatchTest.readIdlePipe"), found.getFirst());
    }

    @Test
    void session_thePipeReadOnAPlatformThread_nothing() throws Exception {
        List<String> found = watched(HERE, () -> {
            try {
                Thread.ofPlatform().start(PinningWatchTest::readIdlePipe).join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of(), found);
    }

    @Test
    void session_noFrameInTheWatchedPackages_nothing() throws Exception {
        assertEquals(
                List.of(), watched(List.of("com.example."), () -> onVirtualThread(PinningWatchTest::readIdlePipe)));
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_23) // a JDK 24+ unmounts a virtual thread that parks holding a monitor
    void session_aVirtualThreadParksInsideSynchronized_reportedOnJdk21To23() throws Exception {
        Object monitor = new Object();
        List<String> found = watched(
                HERE,
                () -> onVirtualThread(() -> {
                    synchronized (monitor) {
                        LockSupport.parkNanos(50_000_000L);
                    }
                }));
        assertEquals(1, found.size(), found.toString());
        assertTrue(
                found.getFirst().startsWith("a virtual thread parked while pinned to its carrier"), found.getFirst());
    }

    /** A class loader that parks for 50 ms before it finds a class: the JVM loads classes pinned. */
    static final class SlowLoader extends ClassLoader {
        SlowLoader() {
            super(null);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            LockSupport.parkNanos(50_000_000L);
            throw new ClassNotFoundException(name);
        }
    }

    @Test
    void session_aPinWhileTheJvmLoadsAClass_nothing() throws Exception {
        List<String> found = watched(
                HERE,
                () -> onVirtualThread(() -> {
                    try {
                        Class.forName("dev.sluice.testkit.Absent", false, new SlowLoader());
                        throw new AssertionError("found");
                    } catch (ClassNotFoundException e) {
                        // expected
                    }
                }));
        assertEquals(List.of(), found);
    }

    private static final CountDownLatch HELD_INITIALIZING = new CountDownLatch(1);
    private static final CountDownLatch HELD_RELEASE = new CountDownLatch(1);

    /** Initialized by a platform thread that holds its initialization until released. */
    static final class HeldWhileInitialized {
        static {
            HELD_INITIALIZING.countDown();
            try {
                HELD_RELEASE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {}
    }

    @Test
    void session_aVirtualThreadWaitsForAnotherThreadsClassInitialization_nothing() throws Exception {
        List<String> found = watched(HERE, () -> {
            try {
                Thread.ofPlatform().start(HeldWhileInitialized::touch);
                HELD_INITIALIZING.await();
                Thread waiting = Thread.ofVirtual().start(HeldWhileInitialized::touch);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> waiting.getStackTrace().length > 0); // it runs: it waits
                HELD_RELEASE.countDown();
                waiting.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of(), found);
    }

    @Test
    void watching_noPackage_throws() {
        assertThrows(IllegalArgumentException.class, PinningWatch::watching);
        assertThrows(IllegalArgumentException.class, () -> PinningWatch.watching(" "));
    }

    @Test
    void watching_asDocsTestkitShowsIt_registersForTheUsersPackage() {
        assertEquals("PinningWatch[com.example.]", AsDocumented.watch.toString());
    }

    /** docs/testkit.md's registration, as a user's test class writes it (DocsCodeTest finds the block here). */
    static final class AsDocumented {
        @RegisterExtension
        static final PinningWatch watch = PinningWatch.watching("com.example.");
    }

    /** A class whose test pins a carrier; run only through the launcher below (surefire skips nested classes). */
    static final class Pins {
        @RegisterExtension
        static final PinningWatch WATCH = PinningWatch.watching("dev.sluice.testkit.");

        @Test
        void pins() {
            onVirtualThread(AlsoParksWhileInitialized::touch);
        }
    }

    @Test
    void extension_aTestOfTheClassPins_theClassFailsNamingItAndTheStack() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(Pins.class))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        assertEquals(1, summary.getTestsSucceededCount(), "the test itself passes");
        assertEquals(1, summary.getTotalFailureCount());
        TestExecutionSummary.Failure failure = summary.getFailures().getFirst();
        assertEquals("PinningWatchTest$Pins", failure.getTestIdentifier().getDisplayName(), "the class fails");
        String message = failure.getException().getMessage();
        assertTrue(
                message.startsWith("nothing may hold a virtual thread's carrier, but while PinningWatchTest$Pins ran:"),
                message);
        assertTrue(
                message.contains("at dev.sluice.testkit.PinningWatchTest$AlsoParksWhileInitialized.<clinit>"), message);
    }
}
