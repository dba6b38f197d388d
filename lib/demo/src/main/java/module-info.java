import dev.sluice.demo.DemoVoice;
import dev.sluice.testkit.spi.Voice;

/**
 * The {@code sluice} tool's offline demo model: what the test kit's fake server says when the tool
 * runs it ({@code ./build demo}, {@code sluice stream} without a key, {@code serve-fake}). It exports
 * nothing; it provides the server's voice.
 */
module dev.sluice.demo {
    requires dev.sluice.testkit;

    provides Voice with
            DemoVoice;
}
