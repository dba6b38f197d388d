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

    // The tool's demo model (sluice-demo) speaks for the server through this SPI (a Voice, provided); nothing else
    // sees it, as it is Sluice's own model's and no promise to a user's tests. The SPI's schemas and values are the
    // test kit's JSON tree, which the whole test kit reads and writes: a package of its own, internal because its
    // parser's checked Json.Malformed is a public exception outside Sluice's sealed family (the layer table allows
    // one only in an internal package), and not in the SPI because the tree and its parser are one piece
    // (package-private constructors; JsonNode.toString writes through Json).
    exports dev.sluice.testkit.spi to
            dev.sluice.demo;
    exports dev.sluice.testkit.internal.json to
            dev.sluice.demo;

    uses Voice;
}
