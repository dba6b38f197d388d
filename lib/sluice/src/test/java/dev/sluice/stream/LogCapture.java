package dev.sluice.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what a System.Logger (backed by java.util.logging on the class path) logs, instead of
 * printing it: a test that provokes a warning on purpose asserts on it here, and the run's output
 * keeps only what nobody expected.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final boolean parents;
    public final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public LogCapture(Class<?> source) {
        this(source.getName());
    }

    /** @param loggerName the logger's name */
    public LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        parents = logger.getUseParentHandlers();
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parents);
    }
}
