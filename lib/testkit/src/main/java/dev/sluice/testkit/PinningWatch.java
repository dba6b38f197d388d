package dev.sluice.testkit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test class when, while it ran, code of the watched packages
 * held a virtual thread's carrier: a virtual thread parked while pinned (JFR's
 * {@code jdk.VirtualThreadPinned}, any duration: inside {@code synchronized} on JDK 21–23, under a
 * native frame or a class initializer on any JDK), or a virtual thread waited in a file or pipe
 * read for {@link #BLOCKING_READ} or longer (JFR's {@code jdk.FileRead}: such a read blocks in
 * native code and keeps its carrier, as reading an idle child process's stdout does). An event
 * counts when a frame of its stack belongs to a watched package ({@code dev.sluice.} unless
 * {@link #watching} names others), unless the JVM was loading or initializing a class (which it
 * does pinned, and then waits pinned for another thread loading or initializing the same class);
 * the failure lists each one with its stack.
 *
 * <p>Register it on a class ({@code @ExtendWith(PinningWatch.class)}), or on every class of a
 * suite through JUnit's extension auto-detection: {@code junit.jupiter.extensions.autodetection.enabled=true}
 * in {@code junit-platform.properties} and this class's name in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}, both on the test class path.
 * Each top-level class gets a JFR recording of its own with only those two events enabled (a few
 * tens of milliseconds a class); nested classes share their outer class's. Classes run in
 * parallel see each other's events.
 *
 * <p>What JFR does not report is not checked: a wait that neither parks nor reads
 * ({@code Process.waitFor} or {@code Object.wait} on JDK 21), and, run on a JDK 24+, a
 * {@code synchronized} block around blocking I/O (which pins on JDK 21–23 only). Needs JUnit
 * Jupiter and the {@code jdk.jfr} module at run time; the rest of the testkit does not.
 */
@SuppressWarnings("exports") // JUnit is optional (requires static): only a test that uses this class needs it
public final class PinningWatch implements BeforeAllCallback, AfterAllCallback {
    /** A read on a virtual thread at least this long counts as holding its carrier. */
    public static final Duration BLOCKING_READ = Duration.ofMillis(100);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PinningWatch.class);
    private static final int FRAMES_SHOWN = 24;

    private final List<String> packages;

    /** A watch of Sluice's own packages, {@code dev.sluice.} and below. */
    public PinningWatch() {
        this(List.of("dev.sluice."));
    }

    private PinningWatch(List<String> packages) {
        this.packages = packages;
    }

    /**
     * {@return a watch of the given packages} For {@code @RegisterExtension}.
     *
     * @param packages name prefixes of the classes whose frames count, such as {@code "com.example."}
     * @throws IllegalArgumentException if none is given, or one is blank
     */
    public static PinningWatch watching(String... packages) {
        List<String> list = List.of(packages);
        if (list.isEmpty() || list.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("packages: one or more non-blank name prefixes, got " + list);
        }
        return new PinningWatch(list);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (nested(context)) return;
        context.getStore(NAMESPACE).put(Session.class, Session.start(packages));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (nested(context)) return;
        Session session = context.getStore(NAMESPACE).remove(Session.class, Session.class);
        if (session == null) return;
        List<String> found = session.stop();
        if (!found.isEmpty()) {
            throw new AssertionError("nothing may hold a virtual thread's carrier, but while "
                    + context.getDisplayName() + " ran:\n\n" + String.join("\n\n", found));
        }
    }

    private static boolean nested(ExtensionContext context) {
        return context.getParent().flatMap(ExtensionContext::getParent).isPresent();
    }

    /** One recording, from its start to {@link #stop()}: what it found. */
    static final class Session {
        private final RecordingStream stream;
        private final List<String> packages;
        private final ConcurrentLinkedQueue<String> found = new ConcurrentLinkedQueue<>();

        private Session(RecordingStream stream, List<String> packages) {
            this.stream = stream;
            this.packages = packages;
        }

        /** {@return a session recording from now on what blocks a carrier in these packages} */
        static Session start(List<String> packages) {
            RecordingStream stream = new RecordingStream();
            Session session = new Session(stream, List.copyOf(packages));
            stream.enable("jdk.VirtualThreadPinned")
                    .withThreshold(Duration.ZERO)
                    .withStackTrace();
            stream.enable("jdk.FileRead").withThreshold(BLOCKING_READ).withStackTrace();
            stream.onEvent("jdk.VirtualThreadPinned", session::pinned);
            stream.onEvent("jdk.FileRead", session::read);
            stream.startAsync();
            return session;
        }

        /** {@return what was found, once every event recorded so far has been seen} Ends the session. */
        List<String> stop() {
            try {
                stream.stop(); // returns once the stream has consumed every event recorded
            } finally {
                stream.close();
            }
            return List.copyOf(found);
        }

        private void pinned(RecordedEvent e) {
            // A JDK 24+ also reports a virtual thread that the JVM holds while it loads or initializes a
            // class for it (waiting for another thread doing the same): no park of ours, the JDK's to solve.
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().stream().noneMatch(Session::parking)) return;
            String reason = e.hasField("pinnedReason") ? e.getString("pinnedReason") : null;
            report(
                    e,
                    "a virtual thread parked while pinned to its carrier"
                            + (reason != null ? " (" + reason + ")" : ""));
        }

        private void read(RecordedEvent e) {
            RecordedThread thread = e.getThread();
            if (thread == null || !thread.isVirtual()) return;
            String path = e.getString("path");
            report(
                    e,
                    "a virtual thread waited in a blocking read of "
                            + (path != null ? path : "a pipe or file descriptor"));
        }

        private void report(RecordedEvent e, String what) {
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null) return;
            List<RecordedFrame> frames = stack.getFrames();
            if (frames.stream().noneMatch(this::watched) || frames.stream().anyMatch(Session::loadingAClass)) return;
            RecordedThread thread = e.getThread();
            String name = thread == null
                            || thread.getJavaName() == null
                            || thread.getJavaName().isEmpty()
                    ? "an unnamed thread"
                    : "thread \"" + thread.getJavaName() + "\"";
            found.add(what + " for " + e.getDuration().toMillis() + " ms, on " + name + ":\n"
                    + frames.stream()
                            .limit(FRAMES_SHOWN)
                            .map(f -> "\tat " + frame(f))
                            .collect(Collectors.joining("\n"))
                    + (frames.size() > FRAMES_SHOWN ? "\n\t..." : ""));
        }

        private boolean watched(RecordedFrame f) {
            String type = f.getMethod().getType().getName();
            for (String p : packages) if (type.startsWith(p)) return true;
            return false;
        }

        private static boolean parking(RecordedFrame f) {
            return f.getMethod().getType().getName().equals("java.lang.VirtualThread")
                    && f.getMethod().getName().startsWith("park");
        }

        /**
         * {@return whether this frame loads a class} A class the JVM loads for a virtual thread is
         * loaded pinned, and waits pinned for another thread loading it too: the JDK's to solve.
         */
        private static boolean loadingAClass(RecordedFrame f) {
            String type = f.getMethod().getType().getName();
            return f.getMethod().getName().startsWith("loadClass")
                    && (type.equals("java.lang.ClassLoader") || type.startsWith("jdk.internal.loader."));
        }

        private static String frame(RecordedFrame f) {
            return f.getMethod().getType().getName() + "." + f.getMethod().getName()
                    + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "");
        }
    }

    @Override
    public String toString() {
        return "PinningWatch" + packages;
    }
}
