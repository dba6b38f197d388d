package dev.sluice;

import java.util.Objects;

/**
 * A stream went past a configured size limit (an SSE line or event too large, too many bytes).
 * The stream is closed; raising the limit is the remedy when the input is legitimate.
 */
public final class LimitExceededException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final String limit;
    private final long configuredValue;

    /**
     * @param limit the name of the limit, as its setter is named (for example {@code maxEventBytes})
     * @param configuredValue its configured value
     * @param detail what went past it
     */
    public LimitExceededException(String limit, long configuredValue, String detail) {
        super(
                Objects.requireNonNull(detail, "detail") + ": exceeds the " + limit + " limit of " + configuredValue
                        + "; raise " + limit + " if this input is legitimate",
                null);
        this.limit = limit;
        this.configuredValue = configuredValue;
    }

    /** {@return the name of the limit, such as {@code maxEventBytes}} */
    public String limit() {
        return limit;
    }

    /** {@return the configured value of the limit} */
    public long configuredValue() {
        return configuredValue;
    }
}
