package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.RelayStore;
import dev.sluice.relay.RelayStore.ChatRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which stream each chat of the UI message stream runs, and for whom, and which stream each AG-UI
 * thread runs, and for whom (under {@linkplain #threadKey a key of its own}): this node's
 * in a map, and, with a shared store, every node's in the store (which the map defers to), so that
 * a chat resumes, and a thread's run is resumed, on any node. A record lasts until its stream ends
 * (in the store, at most as long as the stream's own record). An owner is the hash of the secret
 * its {@value ProtocolHttp#CHAT_COOKIE} cookie holds; the secret itself is kept nowhere.
 *
 * <p>Threading: safe from any thread; a record is forgotten on its stream's thread when the stream
 * ends.
 */
final class ChatRecords {
    private static final System.Logger LOG = System.getLogger(ProtocolHttp.class.getName());
    private static final SecureRandom SECRETS = new SecureRandom();
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{22,128}");

    /** What an AG-UI thread's key starts with (a chat id has no {@code :}). */
    static final String THREAD_PREFIX = "ag-ui:";

    private final RelayStore store;
    private final ConcurrentHashMap<String, ChatRecord> local =
            new ConcurrentHashMap<>(); // chat id (or thread key) -> the stream it runs here

    ChatRecords(RelayStore store) {
        this.store = store;
    }

    /**
     * {@return the stream the chat runs, and its owner: as the shared store has it, else as this node does}
     *
     * @throws HttpRefusals.Refused 503 {@code unavailable} when the shared store cannot be reached
     */
    Optional<ChatRecord> running(String chatId) {
        if (store.shared()) {
            try {
                Optional<ChatRecord> shared = store.chat(chatId);
                if (shared.isPresent()) return shared;
            } catch (RelayException e) {
                throw HttpRefusals.of(e);
            }
        }
        return Optional.ofNullable(local.get(chatId));
    }

    /**
     * {@return whether the chat now runs this record's stream}: false, and nothing recorded, when
     * another owner's runs
     *
     * @throws RelayException {@code UNAVAILABLE} when the shared store cannot be reached
     */
    @SuppressWarnings("ReferenceEquality") // identity: whether compute kept this very record
    boolean bind(String chatId, ChatRecord record) {
        ChatRecord kept =
                local.compute(chatId, (k, old) -> old == null || sameOwner(old, record.ownerHash()) ? record : old);
        if (kept != record) return false;
        boolean put = false;
        try {
            put = !store.shared() || store.putChat(chatId, record.ownerHash(), record.streamId());
            return put;
        } finally {
            if (!put) local.remove(chatId, record);
        }
    }

    /** The record's stream ended, or is gone: the chat runs nothing now (unless a newer stream of it does). */
    void forget(String chatId, ChatRecord record) {
        local.remove(chatId, record);
        if (!store.shared()) return;
        try {
            store.removeChat(chatId, record.streamId());
        } catch (RuntimeException e) { // the record lapses with the stream's
            LOG.log(System.Logger.Level.DEBUG, "could not remove a chat's record from the store: " + e.getMessage());
        }
    }

    /**
     * {@return the key of an AG-UI thread's record}: apart from every chat's (a chat id has no
     * {@code :}), and as long for any thread id
     */
    static String threadKey(String threadId) {
        return THREAD_PREFIX + hash(threadId);
    }

    /** {@return whether the record is this owner's}, compared in constant time */
    static boolean sameOwner(ChatRecord record, String ownerHash) {
        return MessageDigest.isEqual(
                record.ownerHash().getBytes(StandardCharsets.US_ASCII), ownerHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@return the hash of a client's secret, as a chat's record keeps it} */
    static String hash(String ownerSecret) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(ownerSecret));
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@return the secret a request's cookie holds, or null when it has none of the right form} */
    static @Nullable String ownerSecret(Function<String, @Nullable String> headers) {
        for (String value : RequestGuard.cookies(headers, ProtocolHttp.CHAT_COOKIE)) {
            if (SECRET.matcher(value).matches()) return value;
        }
        return null;
    }

    /** {@return a new client's secret: 256 random bits, URL-safe} */
    static String newOwnerSecret() {
        byte[] b = new byte[32];
        SECRETS.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * {@return the {@code Set-Cookie} value that gives a client its secret}: sent back with the chat
     * routes only, never read by a script, never sent by another site's page, and only over TLS
     * when it came over TLS; a session cookie
     *
     * @param mountPath where the relay is mounted, without a trailing {@code /}
     * @param secure whether the request came over TLS
     */
    static String ownerCookie(String secret, String mountPath, boolean secure) {
        return ownerCookie(secret, mountPath, "/api/chat", secure);
    }

    /** {@return the {@code Set-Cookie} value that gives a client its secret on one route}, as {@link #ownerCookie(String, String, boolean)} */
    static String ownerCookie(String secret, String mountPath, String route, boolean secure) {
        return ProtocolHttp.CHAT_COOKIE + "=" + secret + "; Path=" + mountPath + route + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }
}
