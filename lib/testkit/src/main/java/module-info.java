import dev.sluice.testkit.spi.Voice;

/**
 * Sluice's testkit: a scripted fake LLM server on loopback for tests,
 * {@link dev.sluice.testkit.FakeLlmServer}, answering with {@link dev.sluice.testkit.FakeResponse}s
 * and recording each {@link dev.sluice.testkit.RecordedRequest}. It needs nothing but the JDK;
 * JUnit Jupiter, when present, runs the optional {@link dev.sluice.testkit.FakeLlmExtension} and
 * {@link dev.sluice.testkit.PinningWatch} (which also needs {@code jdk.jfr}).
 */
@SuppressWarnings("module") // the qualified exports name the tool's demo model, built after this module
module dev.sluice.testkit {
    requires transitive org.jspecify; // the nullness annotations on the API (annotations only)
    // Not transitive: the sluice tool runs the server without JUnit, and javac makes a module that reads
    // this one find a 'static transitive' module when it compiles. The two JUnit types say so ("exports").
    requires static org.junit.jupiter.api;
    requires static jdk.jfr;

    exports dev.sluice.testkit;
    exports dev.sluice.testkit.clouds;

    // The tool's demo model (sluice-demo) speaks for the server through this SPI (a Voice, provided), and reuses
    // the planner's helpers, the test kit's JSON and the parsed request the SPI names; nothing else sees these.
    exports dev.sluice.testkit.spi to
            dev.sluice.demo;
    exports dev.sluice.testkit.internal.answer to
            dev.sluice.demo;
    exports dev.sluice.testkit.internal.json to
            dev.sluice.demo;
    exports dev.sluice.testkit.internal.wire to
            dev.sluice.demo;

    uses Voice;
}
