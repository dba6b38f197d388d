package dev.sluice.testkit.internal.answer;

import dev.sluice.testkit.spi.Voice;
import java.util.ServiceLoader;

/** The voice the server speaks with: the first one provided through {@link ServiceLoader}, else {@link PlainVoice}. */
public final class Voices {
    private static final Voice CURRENT = ServiceLoader.load(Voice.class, Voice.class.getClassLoader())
            .findFirst()
            .orElseGet(PlainVoice::new);

    private Voices() {}

    /** {@return the voice the server speaks with, found once, when first asked for} */
    public static Voice current() {
        return CURRENT;
    }
}
