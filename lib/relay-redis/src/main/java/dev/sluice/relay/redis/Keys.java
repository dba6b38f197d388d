package dev.sluice.relay.redis;

/**
 * The names of the store's keys, under its prefix. On a single Redis they are as they always were
 * ({@code sluice:s:ID}). On a Redis Cluster each carries a hash tag (the part in braces, which alone
 * picks the key's slot), put right after the prefix so that nothing after it, such as a client's
 * chat id, can choose the slot:
 * <ul>
 * <li>a stream's events, its record and the commands sent to its node share the stream's tag, the
 *     first three characters of its id, so that a script touching them touches one slot; the
 *     store {@linkplain RedisRelayStore#place places} the streams it runs on a master by giving
 *     their ids a tag of that master (its <em>home tag</em>), so that all the streams on one master
 *     share one slot and one {@code XREAD} follows them;</li>
 * <li>the nodes' liveness keys and every counter of the limits share the tag {@code {nodes}}, so
 *     that the counting script reads the liveness of the nodes whose places it counts;</li>
 * <li>a chat's record has a tag of its own, a hash of the chat's id, to spread the chats.</li>
 * </ul>
 *
 * <p>Immutable; safe from any thread.
 */
final class Keys {
    /** The tag of the liveness keys and the counters, on a cluster. */
    static final String NODES = "nodes";
    /** How long a stream's tag is: the first characters of its id. */
    static final int TAG = 3;

    private final String prefix;
    private final boolean cluster;

    Keys(String prefix, boolean cluster) {
        this.prefix = prefix;
        this.cluster = cluster;
    }

    boolean cluster() {
        return cluster;
    }

    /** {@return the tag of a stream's keys: its id's first characters, or {@code -} for an id that is not ours} */
    static String tag(String streamId) {
        if (streamId.length() < TAG) return "-";
        for (int i = 0; i < TAG; i++) {
            char c = streamId.charAt(i);
            if (!(c < 128 && Character.isLetterOrDigit(c)) && c != '-' && c != '_') return "-";
        }
        return streamId.substring(0, TAG);
    }

    /**
     * {@return which of the node's readers follows a stream and reads the commands for it: on a
     * cluster, one per tag (one slot); on a single Redis the one reader, {@code ""}}
     */
    String group(String streamId) {
        return cluster ? tag(streamId) : "";
    }

    private String tagged(String tag, String kind, String name) {
        return cluster ? prefix + "{" + tag + "}" + kind + name : prefix + kind + name;
    }

    /** {@return a stream's events: a Redis Stream, entry {@code N-0} for event N} */
    String stream(String streamId) {
        return tagged(tag(streamId), "s:", streamId);
    }

    /** {@return a stream's record: the node that runs it} */
    String record(String streamId) {
        return tagged(tag(streamId), "o:", streamId);
    }

    /** {@return a stream's task handles: a hash of call id to handle, with the record's life} */
    String tasks(String streamId) {
        return tagged(tag(streamId), "t:", streamId);
    }

    /** {@return the commands to a node for the streams of a group} */
    String commands(String node, String group) {
        return tagged(group, "c:", node);
    }

    /** {@return the commands to a stream's node, but for the node's name: in the slot of the stream's record} */
    String commandsPrefix(String streamId) {
        return tagged(tag(streamId), "c:", "");
    }

    /** {@return a node's liveness key} */
    String liveness(String node) {
        return tagged(NODES, "n:", node);
    }

    /** {@return the liveness keys, but for the node's name} */
    String livenessPrefix() {
        return tagged(NODES, "n:", "");
    }

    /** {@return a counter of places: a hash of each node's} */
    String counter(String name) {
        return tagged(NODES, "k:", name);
    }

    /** {@return a rate's count in its window} */
    String rate(String name) {
        return tagged(NODES, "r:", name);
    }

    /** The tag of the minted keys' records, on a cluster: every key's script touches one slot. */
    static final String API_KEYS = "keys";

    /** {@return a minted key's record (a hash of its members and counts), or, for {@code ""}, the index of them by id} */
    String apiKey(String id) {
        return tagged(API_KEYS, "a:", id);
    }

    /** {@return the minted keys' ids by the hashes of their secrets} */
    String apiKeyHashes() {
        return tagged(API_KEYS, "ah:", "");
    }

    /** {@return a chat's record} */
    String chat(String chatId) {
        return tagged(Integer.toHexString(chatId.hashCode() & 0x3fff), "ch:", chatId);
    }
}
