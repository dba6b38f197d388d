package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import jdk.jfr.Recording;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.function.Executable;

/**
 * For tests of a server (a model's, a token endpoint) that echoes a secret back: runs the call under
 * a JDK Flight Recorder recording of every throwable constructed, and checks that no secret, in any
 * of the {@linkplain #forms forms} a server commonly echoes it in, is in the thrown exception's
 * messages or {@code toString()} (its causes' too) or in any recorded event. JFR's exception events
 * record a throwable's message as it is constructed, so an exception made with the raw text and
 * replaced by a cleaned one still shows there.
 */
public final class SecretsNowhere {
    private SecretsNowhere() {}

    /**
     * {@return the exception the call threw} after checking that none of the secrets is anywhere
     * (see the class description)
     *
     * @param type what the call must throw
     * @param call the call
     * @param secrets the secrets, asked for after the call (a signature is known only once the request was made)
     */
    public static <T extends Throwable> T thrown(Class<T> type, Executable call, Supplier<List<String>> secrets)
            throws Exception {
        Path jfr = Files.createTempFile("secrets-nowhere", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaExceptionThrow");
            recording.enable("jdk.JavaErrorThrow");
            recording.start();
            T e = assertThrows(type, call);
            recording.stop();
            Set<String> forms = new LinkedHashSet<>();
            for (String secret : secrets.get()) forms.addAll(forms(secret));
            for (Throwable t = e; t != null; t = t.getCause()) {
                for (String form : forms) {
                    assertFalse(t.getMessage() != null && t.getMessage().contains(form), t.toString());
                    assertFalse(t.toString().contains(form), t.toString());
                }
            }
            recording.dump(jfr);
            List<String> seen = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
                for (ValueDescriptor field : event.getFields()) {
                    Object value = event.getValue(field.getName());
                    if (value != null) seen.add(value.toString());
                }
            }
            assertTrue(
                    seen.stream().anyMatch(v -> v.contains(e.getClass().getSimpleName())),
                    "the exception events were recorded: " + seen.size());
            for (String v : seen) {
                for (String form : forms) assertFalse(v.contains(form), "a JFR event holds a secret: " + v);
            }
            return e;
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    /**
     * {@return the forms of a secret a server commonly echoes} As it is, in base64 (with and
     * without padding) and base64url, in hex and percent-encoded.
     */
    public static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        return List.of(
                secret,
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                HexFormat.of().formatHex(bytes),
                URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }

    /** {@return an echo of the secret in every one of its {@linkplain #forms forms}, as a careless server writes it} */
    public static String echo(String name, String secret) {
        return name + ": " + String.join(" or ", forms(secret));
    }
}
