package dev.sluice.relay.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.relay.Relay;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The store's and the relay's log records, while a test runs. */
final class Logged extends Handler implements AutoCloseable {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final List<Logger> loggers =
            List.of(Logger.getLogger(RedisRelayStore.class.getName()), Logger.getLogger(Relay.class.getName()));

    Logged() {
        setLevel(Level.ALL);
        for (Logger l : loggers) {
            l.setLevel(Level.ALL);
            l.addHandler(this);
        }
    }

    /** Checks that no record is an error, nor quotes what a cluster says to redirect a command. */
    void assertNoRedirectionNorError() {
        for (LogRecord r : records) {
            String m = r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown());
            assertTrue(r.getLevel().intValue() < Level.SEVERE.intValue(), "an error was logged: " + m);
            for (String said : List.of("MOVED", "ASK ", "CROSSSLOT", "TRYAGAIN", "non local key"))
                assertFalse(m.contains(said), "the log quotes the cluster: " + m);
        }
    }

    boolean saw(String text) {
        return records.stream().anyMatch(r -> r.getMessage().contains(text));
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        for (Logger l : loggers) l.removeHandler(this);
    }
}
