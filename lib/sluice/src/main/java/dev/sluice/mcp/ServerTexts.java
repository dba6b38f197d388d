package dev.sluice.mcp;

import dev.sluice.internal.low.http.ServerText;
import dev.sluice.internal.low.http.ServerUrls;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one MCP server sends, made fit to go on: through the cleaner of provider errors
 * ({@link ServerText}) with the secrets this client knows, and the URLs' user information, query
 * strings and fragments taken out ({@link ServerUrls}). The secrets: the client's credential
 * headers (HTTP), and the values of the environment variables whose names say they hold one
 * ({@link #isSecretName}), this JVM's and those given to a child process. Immutable.
 */
final class ServerTexts {
    /** The words of a variable's name that mark its value a secret. */
    private static final Set<String> SECRET_WORDS =
            Set.of("KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL", "CREDENTIALS");
    /** Names of variables known to hold paths or settings, not secrets, though a word says otherwise. */
    private static final Set<String> NOT_SECRET =
            Set.of("GOOGLE_APPLICATION_CREDENTIALS", "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE");

    static final ServerTexts NONE = new ServerTexts(Map.of());

    private final Map<String, String> secrets;

    private ServerTexts(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /**
     * {@return the cleaning for a server reached with these headers, or started with these extra
     * variables, in a JVM with this environment}
     */
    static ServerTexts of(
            Map<String, String> environment, Map<String, String> childVariables, Map<String, String> headers) {
        Map<String, String> secrets = new LinkedHashMap<>();
        headers.forEach(secrets::put); // ServerText takes the credential ones
        environment.forEach((k, v) -> {
            if (isSecretName(k)) secrets.put("secret:" + k, v);
        });
        childVariables.forEach((k, v) -> {
            if (isSecretName(k)) secrets.put("secret:" + k, v);
        });
        return new ServerTexts(secrets);
    }

    /**
     * {@return whether an environment variable's name says it holds a secret: a word of it
     * (split at {@code _}, {@code -} and {@code .}) is KEY, APIKEY, TOKEN, SECRET, PASSWORD,
     * PASSWD, PASSPHRASE or CREDENTIAL(S), in any case} Variables that name a file of credentials
     * ({@code GOOGLE_APPLICATION_CREDENTIALS}, {@code *_FILE}) are not secrets themselves.
     */
    static boolean isSecretName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (NOT_SECRET.contains(upper) || upper.endsWith("_FILE") || upper.endsWith("_PATH")) return false;
        for (String word : upper.split("[_.-]")) if (SECRET_WORDS.contains(word)) return true;
        return false;
    }

    /** {@return a server's text for a message: secrets and URLs cleaned, whitespace collapsed, cut to 500 characters} */
    String message(String text) {
        return ServerText.clean(text, secrets);
    }

    /** {@return the end of a server's text (its stderr) for a message, cleaned as {@link #message}} */
    String tail(String text) {
        int keep = ServerText.MAX_MESSAGE_CHARS - 200; // room for the message around it
        String s = text.strip();
        return message(s.length() <= keep ? s : "…" + s.substring(s.length() - keep));
    }

    /** {@return a server's text kept whole (a tool's result): secrets and URLs cleaned, nothing else changed} */
    String whole(String text) {
        return ServerText.redact(ServerUrls.clean(text), secrets);
    }
}
