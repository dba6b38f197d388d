package dev.sluice.internal.low.json;

import dev.sluice.sse.SseEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the tests of a check over {@link JsonScan} share (a passthrough's plain content:
 * {@code PlainContentChunk}, {@code PlainTextDelta}, {@code PlainContentDelta}): its mutants, and
 * the recorded streams it is checked against.
 */
public final class JsonScanChecks {
    private static final String[] INSERTED = {
        "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "0", "-", "x", "\u0001", "n", "e"
    };

    private JsonScanChecks() {}

    /**
     * Hands each one-character deletion and insertion of each base that {@code scan} accepts to
     * {@code decodes}, which asserts that the decoder reads it as the scan said. {@return how many the scan accepted}
     */
    public static int acceptedMutants(List<String> bases, Predicate<String> scan, Consumer<String> decodes) {
        int accepted = 0;
        for (String base : bases) {
            List<String> mutants = new ArrayList<>();
            for (int i = 0; i < base.length(); i++) {
                mutants.add(base.substring(0, i) + base.substring(i + 1));
                for (String s : INSERTED) mutants.add(base.substring(0, i) + s + base.substring(i));
            }
            for (String m : mutants) {
                if (!scan.test(m)) continue;
                accepted++;
                decodes.accept(m);
            }
        }
        return accepted;
    }

    /** One event of a recorded stream, and the recording's file name. */
    public record Recorded(String file, SseEvent event) {}

    /**
     * {@return every event of every recorded stream ({@code *.sse}) in the folder of the test
     * resource {@code resource}, in the files' order: {@code event:} its name (none: unnamed),
     * {@code data:} its one line of data}
     */
    public static List<Recorded> recordedEvents(String resource) throws IOException {
        Path dir;
        try {
            dir = Path.of(Objects.requireNonNull(JsonScanChecks.class.getResource(resource), resource)
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(p -> p.toString().endsWith(".sse")).sorted().toList();
        }
        List<Recorded> events = new ArrayList<>();
        for (Path file : files) {
            String name = null;
            for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("event: "))
                    name = line.substring("event: ".length()).strip();
                if (!line.startsWith("data: ")) continue;
                String data = line.substring("data: ".length()).strip();
                events.add(new Recorded(
                        file.getFileName().toString(), name == null ? SseEvent.of(data) : SseEvent.of(name, data)));
                name = null;
            }
        }
        return events;
    }
}
