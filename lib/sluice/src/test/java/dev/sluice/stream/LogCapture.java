package dev.sluice.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what a System.Logger (backed by java.util.logging on the class path) logs. */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture(Class<?> source) {
        logger = Logger.getLogger(source.getName());
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) { records.add(record); }

    @Override
    public void flush() {}

    @Override
    public void close() { logger.removeHandler(this); }
}
