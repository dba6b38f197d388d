package dev.sluice.relay;

import java.util.Objects;

/**
 * A stream the {@link Relay} started: answer {@code 201} with {@link #json()}, then clients read
 * {@link #eventsPath()}.
 *
 * @param id the stream's id: 22 URL-safe characters, unguessable
 * @param eventsPath {@code /api/streams/ID/events}
 */
public record Created(String id, String eventsPath) implements Relay.CreateOutcome {

    /** @throws NullPointerException if an argument is null */
    public Created {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventsPath, "eventsPath");
    }

    /** {@return 201} */
    @Override
    public int status() {
        return 201;
    }

    /** {@return {@code {"id":...,"events":...}}} */
    @Override
    public String json() {
        return JsonText.object("id", id, "events", eventsPath);
    }
}
