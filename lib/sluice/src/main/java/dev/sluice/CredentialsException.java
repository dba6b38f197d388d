package dev.sluice;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A cloud's credentials could not be found or obtained, so no request was sent: nothing in the
 * environment, the configuration files or the machine's metadata service supplied them
 * ({@link Kind#NOT_FOUND}), what was configured is malformed ({@link Kind#INVALID}), or the source
 * that was configured failed to deliver them: a token service answered with an error, a
 * {@code credential_process} command failed, a metadata endpoint could not be reached
 * ({@link Kind#FAILED}). The message says which sources were tried and what to set.
 *
 * <p>The message never holds a secret: no secret access key, session token, web identity token,
 * authorization token or command output appears in it, only the names of the variables, files and
 * endpoints involved. Retrying helps only for {@link Kind#FAILED}.
 */
public final class CredentialsException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** Why no credentials came. */
    public enum Kind {
        /** No source of credentials is configured. */
        NOT_FOUND,
        /** A source is configured, but what it holds is malformed or incomplete (a profile file, a variable). */
        INVALID,
        /** A configured source failed to deliver: its service answered with an error or could not be reached, or its command failed. */
        FAILED;

        /** {@return the kind's name in lower case: {@code not_found} ...} */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;

    /**
     * @param kind why no credentials came
     * @param message what was tried and what to set; never a secret
     * @param cause the underlying failure, or null
     * @throws NullPointerException if kind or message is null
     */
    public CredentialsException(Kind kind, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** {@return why no credentials came} */
    public Kind kind() {
        return kind;
    }
}
