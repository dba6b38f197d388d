package dev.sluice.relay.redis;

import dev.sluice.RelayException;
import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.RelayStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The relay's {@link RelayStore} on Redis, for relays on many nodes: give each node's
 * {@link dev.sluice.relay.Relay} a store on the same Redis and they serve one another's streams.
 *
 * <pre>{@code
 * RedisRelayStore store = RedisRelayStore.builder("redis://redis.internal:6379/0")
 *         .credentials(System.getenv("SLUICE_REDIS_USER"), System.getenv("SLUICE_REDIS_PASSWORD"))
 *         .build();
 * Relay relay = Relay.builder().provider(client.providerName(), client, ProviderCatalog.ANTHROPIC.defaultModel()).store(store).build();
 * // ... on shutdown: relay.close(); store.close();
 * }</pre>
 *
 * <p><b>A single Redis or a Redis Cluster.</b> The URL names one address or several (seeds,
 * separated by commas); the first that answers says whether it is a node of a Redis Cluster (its
 * {@code INFO cluster} has {@code cluster_enabled:1}; a replica is as good as a master), and the
 * store then works as one cluster client (Jedis's {@code JedisCluster}), following {@code MOVED} and
 * {@code ASK} redirections, a resharding and a master's failover to its replica by itself. A cluster
 * has database 0 only: a URL naming another is refused. A single Redis, or an endpoint that always
 * leads to its primary, is used as it always was.
 *
 * <p>What it keeps in Redis (every key under the {@linkplain Builder#prefix prefix},
 * {@code sluice:} by default; on a cluster with the hash tags {@link Keys} describes, right after
 * the prefix, so that each script and multi-key command touches one slot):
 * <ul>
 * <li>{@code s:ID}, a Redis Stream per relayed stream: one entry per event, entry id
 *     {@code N-0} for event N, trimmed ({@code XTRIM MINID}) to the relay's replay limits,
 *     expiring ({@code PEXPIRE}) after the retention once the stream ended, written by a Lua script
 *     that stores a batch only when the stream holds the events before it (a replica promoted
 *     without the last events its master had taken makes the writer write them again: see
 *     {@link RelayStore#append}); other nodes follow it with {@code XREAD BLOCK}, one read for
 *     every stream a node follows (on a cluster, one per master);</li>
 * <li>{@code o:ID}, the node that runs the stream, with the same life;</li>
 * <li>{@code n:NODE}, a node's liveness key ({@code SET PX} {@linkplain Builder#nodeTtl node TTL},
 *     refreshed three times per TTL): a node whose key lapsed is dead;</li>
 * <li>{@code c:NODE}, a Redis Stream of commands to the node (cancel, a follower's lease), which
 *     it reads in the same {@code XREAD BLOCK} as the streams it follows (on a cluster, one per
 *     tag of the streams it runs); an entry without a command wakes that read when the node
 *     follows another stream;</li>
 * <li>{@code k:COUNTER}, a hash of each node's places in a cluster-wide counter, taken by a Lua
 *     script that counts live nodes only (a dead node's places are dropped), so the limits hold
 *     across the nodes and a lost node frees its places when its liveness lapses;</li>
 * <li>{@code r:COUNTER}, a rate's count in its current window ({@link #takeRate}), expiring with
 *     the window, checked and counted by one Lua script: a window opens with the first use after
 *     the last one closed;</li>
 * <li>{@code a:ID}, a minted key of the gateway ({@link #apiKeys()}): a hash of its members, its
 *     secret's SHA-256 and its counts, indexed by {@code ah:} (hash to id) and {@code a:} (ids by
 *     creation), kept until revoked; on a cluster under the tag {@code {keys}};</li>
 * <li>{@code t:ID}, the handles of the tasks the stream's tool calls started ({@link #putTask}), a
 *     hash with the life of the stream's record, extended with it, written again after an outage
 *     (the running node holds them too); a node that {@linkplain #takeOver takes over} the stream
 *     of a lost node finishes them;</li>
 * <li>{@code ch:CHAT}, the chat's record ({@link #putChat}; an AG-UI thread's is
 *     {@code ch:ag-ui:HASH}): the hash of its owner's secret and the id of the stream it runs,
 *     with the life of that stream's record (extended with it), replaced and removed by Lua
 *     scripts that compare the owner, or the stream.</li>
 * </ul>
 *
 * <p>When Redis cannot be reached (a cluster that answers {@code CLUSTERDOWN} while it fails over
 * included), every method but {@link #close()} throws {@link RelayException} of kind
 * {@link RelayException.Kind#UNAVAILABLE UNAVAILABLE}, whose message names no address or
 * credential (it may reach a browser); the log ({@link System.Logger}
 * {@code dev.sluice.relay.redis.RedisRelayStore}) says what failed, once when Redis goes away and
 * once when it is back, and never quotes a cluster's redirections. While it is away and for one
 * node TTL after, no node is taken for lost. The password is never logged nor shown by
 * {@link #toString()}. Commands need Redis 6.2 or later ({@code XTRIM MINID}).
 *
 * <p>Threading: safe from any thread. Readers and writers per store, not per stream: on a single
 * Redis, the virtual thread {@code sluice-redis-reader} waits on one connection in a single
 * {@code XREAD BLOCK} on this node's commands and every stream it follows, and hands the events
 * to their followers from there (on a cluster, one such reader per tag in use, one per master);
 * the events of every stream this node runs go to Redis through one connection (on a cluster,
 * one per master), one pipeline per round, sent by the thread of the first stream to write while
 * none is being sent, with everything queued meanwhile. A third virtual thread,
 * {@code sluice-redis-liveness}, refreshes the node's liveness. The other commands borrow a
 * connection from a pool ({@linkplain Builder#maxConnections bounded}, per node of a cluster) for
 * each call.
 *
 * <p>Why this file is long: one class per {@link RelayStore}, as the SPI is one interface; its commands
 * on one Redis and on a cluster share every method but the connection they borrow.
 */
public final class RedisRelayStore implements RelayStore {
    // Over 600 lines: every operation of the store, its Lua scripts and its liveness thread, which share
    // the bookkeeping of this node's records; the class Javadoc lists every key it writes.
    private static final System.Logger LOG = System.getLogger(RedisRelayStore.class.getName());
    private static final String UNAVAILABLE = "the relay's store (Redis) cannot be reached; try again shortly";

    /**
     * Takes a place when fewer than the limit are taken by live nodes; drops dead nodes' places. It
     * also sets the taker's liveness key, so that a place taken before the node's first refresh is
     * not taken for a dead node's by the next recount.
     */
    private static final String ACQUIRE = """
            local total = 0
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              if all[i] == ARGV[1] or redis.call('EXISTS', ARGV[3] .. all[i]) == 1 then
                total = total + tonumber(all[i + 1])
              else
                redis.call('HDEL', KEYS[1], all[i])
              end
            end
            if total >= tonumber(ARGV[2]) then return 0 end
            redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('SET', ARGV[3] .. ARGV[1], '1', 'PX', ARGV[5])
            return 1
            """;
    /**
     * Counts a use of a rate in its window: a count that expires with the window, opened by the
     * first use after the last window closed; a refusal (not counted) answers the time left.
     */
    private static final String TAKE_RATE = """
            local n = tonumber(redis.call('GET', KEYS[1]) or '0')
            if n >= tonumber(ARGV[1]) then
              local left = redis.call('PTTL', KEYS[1])
              if left > 0 then return left end
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return tonumber(ARGV[2])
            end
            if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;
    /** Adds a command to the stream of the node that runs a stream, in one round trip. */
    private static final String SEND = """
            local owner = redis.call('GET', KEYS[1])
            if not owner then return 0 end
            local to = ARGV[1] .. owner
            redis.call('XADD', to, 'MAXLEN', '~', '1000', '*', 's', ARGV[2], 'c', ARGV[3])
            redis.call('PEXPIRE', to, ARGV[4])
            return 1
            """;
    /** Records a chat's stream unless the chat is another owner's: KEYS[1] the chat, ARGV the owner, the stream, the TTL. */
    private static final String PUT_CHAT = """
            local v = redis.call('GET', KEYS[1])
            if v and string.sub(v, 1, #ARGV[1] + 1) ~= ARGV[1] .. ' ' then return 0 end
            redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2], 'PX', ARGV[3])
            return 1
            """;
    /** Extends (ARGV[2] > 0) or removes (0) a chat's record if it still names the stream ARGV[1]. */
    private static final String TOUCH_CHAT = """
            local v = redis.call('GET', KEYS[1])
            if not v or string.sub(v, -#ARGV[1] - 1) ~= ' ' .. ARGV[1] then return 0 end
            if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('DEL', KEYS[1]) end
            return 1
            """;
    /** Adds a wake-up (no command) to a node's command stream, with the life SEND gives it. */
    private static final String WAKE = """
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', '1000', '*', 'w', '1')
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1
            """;

    /**
     * Stores a batch of a stream's events (ARGV[5..]) from id ARGV[1] unless the stream lacks one it
     * must keep (from ARGV[2]) before them; skips those it holds; trims to ARGV[2]; with a TTL
     * (ARGV[3] > 0), sets the stream's expiry and its record (KEYS[2]) to the node ARGV[4].
     * Answers the id of the last event it holds.
     */
    private static final String APPEND = """
            local first = tonumber(ARGV[1])
            local keep = tonumber(ARGV[2])
            local last = 0
            local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            if #top > 0 then last = tonumber(string.match(top[1][1], '^%d+')) end
            if math.max(last + 1, keep) <= first - 1 then return last end
            for i = 5, #ARGV do
              local id = first + i - 5
              if id > last then redis.call('XADD', KEYS[1], string.format('%d-0', id), 'e', ARGV[i]) end
            end
            redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d-0', keep))
            if tonumber(ARGV[3]) > 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
              redis.call('PEXPIRE', KEYS[3], ARGV[3])
            end
            return math.max(last, first + #ARGV - 5)
            """;

    /** Keeps a task's handle (KEYS[1], a hash) with the life ARGV[3] of its stream's record. */
    private static final String PUT_TASK = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """;
    /** Records this node (ARGV[2]) as the stream's if the record (KEYS[1]) still names the lost node ARGV[1]. */
    private static final String TAKE_OVER = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            return 1
            """;

    private static final String RELEASE = """
            if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return 1
            """;

    private final RedisUrl url;
    private final IntFunction<JedisClientConfig> config;
    private final ConnectionPoolConfig pool;
    private final String prefix;
    private final String node;
    private final Duration nodeTtl;
    private final RedisApiKeyStore apiKeys;
    private final ReentrantLock opening = new ReentrantLock();
    private volatile @Nullable RedisConnections connections; // once a seed answered
    private final Map<String, AtomicInteger> places = new ConcurrentHashMap<>(); // this node's places per counter
    private final Map<String, Long> owned =
            new ConcurrentHashMap<>(); // the streams this node registered -> until (nanoTime)
    private final Map<String, Long> expiring =
            new ConcurrentHashMap<>(); // stream -> until its key and record expire, as last set by append
    private final Map<String, ChatOf> chats =
            new ConcurrentHashMap<>(); // a stream this node runs -> the chat it was recorded for
    private final Map<String, Map<String, String>> handles =
            new ConcurrentHashMap<>(); // a stream this node runs -> its task handles, by call id
    private volatile boolean recount; // Redis was away: rewrite this node's places and records when it is back
    private volatile boolean reachable = true;
    private volatile long backSince; // nanoTime when Redis last answered again after an outage
    private volatile boolean closed;
    private volatile boolean built;
    private final Thread liveness;
    private final StreamReader reader;
    private final AtomicBoolean listening = new AtomicBoolean();

    private RedisRelayStore(Builder b) {
        this.url = b.url;
        this.prefix = b.prefix;
        this.node = b.node != null ? b.node : newNode();
        this.nodeTtl = b.nodeTtl;
        this.backSince = System.nanoTime() - nodeTtl.toNanos();
        this.pool = new ConnectionPoolConfig();
        pool.setMaxTotal(b.maxConnections);
        pool.setMaxIdle(Math.min(b.maxConnections, 32));
        pool.setMinIdle(0);
        pool.setMaxWait(Duration.ofSeconds(2));
        String user = b.user;
        String password = b.password;
        SSLSocketFactory tls = b.trustedCa;
        this.config = database -> {
            DefaultJedisClientConfig.Builder c = DefaultJedisClientConfig.builder()
                    .database(database)
                    .ssl(b.url.tls())
                    .clientName("sluice-" + node)
                    .connectionTimeoutMillis(2_000)
                    .socketTimeoutMillis(2_000)
                    .blockingSocketTimeoutMillis((int) StreamReader.BLOCK.toMillis() + 2_000);
            if (user != null) c.user(user);
            if (password != null) c.password(password);
            if (b.url.tls()) { // every connection (a seed, each node of a cluster) checks the name it was made to
                c.sslParameters(RedisTls.verifyingHostName());
                if (tls != null) c.sslSocketFactory(tls);
            }
            return c.build();
        };
        this.reader = new StreamReader(this);
        this.apiKeys = new RedisApiKeyStore(this, b.keyCacheTtl);
        try {
            connections(); // a URL that names a cluster's database 1 is refused now; Redis away, it connects as it is
            // used
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.DEBUG, "the relay's store connects as it is used: " + e.getMessage());
        }
        this.built = true;
        this.liveness = Thread.ofVirtual().name("sluice-redis-liveness").start(this::keepAlive);
    }

    /**
     * {@return a builder for a store on the Redis at a URL}
     *
     * @param url {@code redis://[USER:PASSWORD@]HOST[:PORT][/DB]}, or {@code rediss://...} for TLS
     *     (each server's certificate checked as HTTPS checks it, its host name included: see
     *     {@link Builder#trustedCa});
     *     the port defaults to 6379, the database to 0; several {@code HOST:PORT} separated by
     *     commas are seeds, tried in turn: the first that answers is used, or, when it is a node of
     *     a Redis Cluster, finds the others
     * @throws IllegalArgumentException if the URL is not of that form (the message shows it
     *     without its password)
     */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String node() {
        return node;
    }

    /** {@return how long a node's liveness key lasts without a refresh: how soon a lost node is known dead} */
    public Duration nodeTtl() {
        return nodeTtl;
    }

    /**
     * Checks that Redis answers, as a server does before it starts and its health check does: on a
     * cluster, that the slot of the nodes' liveness answers (a cluster failing over answers
     * {@code CLUSTERDOWN} for all of them).
     *
     * @throws RelayException {@link RelayException.Kind#UNAVAILABLE UNAVAILABLE} if it does not
     */
    @Override
    public void ping() {
        call("ping", () -> {
            RedisConnections c = connections();
            return c.clustered() ? c.redis.exists(c.keys.liveness(node)) : c.redis.ping();
        });
    }

    /**
     * {@inheritDoc} On a Redis Cluster, the id's first three characters become the home tag of the
     * next master in turn (see {@link Keys}): the streams a node runs are spread over the masters,
     * and those on one master share a slot. On a single Redis the id is left as it is.
     */
    @Override
    public String place(String randomId) {
        RedisConnections c = connections;
        return c == null ? randomId : c.place(randomId);
    }

    @Override
    public boolean acquire(String counter, int limit) {
        AtomicInteger mine = places.computeIfAbsent(counter, c -> new AtomicInteger());
        mine.incrementAndGet(); // counted here first: a recount never under-counts
        boolean taken = false;
        try {
            taken = call("acquire", () -> {
                RedisConnections c = connections();
                return Long.valueOf(1)
                        .equals(c.redis.eval(
                                ACQUIRE,
                                List.of(c.keys.counter(counter)),
                                List.of(
                                        node,
                                        Integer.toString(limit),
                                        c.keys.livenessPrefix(),
                                        Long.toString(nodeTtl.toMillis() * 20),
                                        Long.toString(nodeTtl.toMillis()))));
            });
            return taken;
        } finally {
            if (!taken) mine.decrementAndGet();
        }
    }

    @Override
    public void release(String counter) {
        AtomicInteger mine = places.get(counter);
        if (mine != null) mine.decrementAndGet();
        try {
            call("release", () -> {
                RedisConnections c = connections();
                return c.redis.eval(RELEASE, List.of(c.keys.counter(counter)), List.of(node));
            });
        } catch (RelayException e) {
            recount = true;
            throw e;
        }
    }

    @Override
    public Duration takeRate(String counter, int limit, Duration window) {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive: " + limit);
        long millis = Math.max(1, window.toMillis());
        Object left = call("takeRate", () -> {
            RedisConnections c = connections();
            return c.redis.eval(
                    TAKE_RATE, List.of(c.keys.rate(counter)), List.of(Integer.toString(limit), Long.toString(millis)));
        });
        long wait = left instanceof Long l ? l : 0;
        return wait <= 0 ? Duration.ZERO : Duration.ofMillis(wait);
    }

    @Override
    public void register(String streamId, Duration ttl) {
        call("register", () -> {
            RedisConnections c = connections();
            return c.redis.set(
                    c.keys.record(streamId), node, SetParams.setParams().px(ttl.toMillis()));
        });
        owned.put(streamId, System.nanoTime() + ttl.toNanos());
        RedisConnections c = connections;
        if (c != null) reader.reading(c.keys.group(streamId)); // the commands for it come to that group's reader
    }

    /**
     * {@inheritDoc} The batch goes to Redis in a pipelined round with every other stream's (on a
     * cluster, those of the same master), as one Lua script on the stream's slot.
     */
    @Override
    public long append(String streamId, long firstId, List<String> events, long keepFrom, Duration ttl) {
        long until = System.nanoTime() + ttl.toNanos();
        Long set = expiring.get(streamId);
        // the expiry moves when it would come sooner, or a quarter of the TTL later: not with every batch
        boolean extend = set == null || until < set || until - set > ttl.toNanos() / 4;
        ChatOf chat = extend ? chats.get(streamId) : null;
        long holds = call("append", () -> {
            RedisConnections c = connections();
            List<String> args = new ArrayList<>(events.size() + 4);
            args.add(Long.toString(firstId));
            args.add(Long.toString(keepFrom));
            args.add(Long.toString(extend ? ttl.toMillis() : 0));
            args.add(node);
            args.addAll(events);
            Object held = c.evalInRound(
                    APPEND, List.of(c.keys.stream(streamId), c.keys.record(streamId), c.keys.tasks(streamId)), args);
            if (chat != null) { // a key of its own slot
                c.redis.eval(
                        TOUCH_CHAT,
                        List.of(c.keys.chat(chat.chatId())),
                        List.of(streamId, Long.toString(ttl.toMillis())));
            }
            return held instanceof Long l ? l : firstId + events.size() - 1;
        });
        if (extend && holds >= firstId + events.size() - 1) {
            expiring.put(streamId, until);
            owned.put(streamId, until);
        }
        return holds;
    }

    @Override
    public List<String> read(String streamId, long after, int max, Duration block) {
        XReadParams params = XReadParams.xReadParams().count(max);
        if (!block.isZero()) params.block((int) block.toMillis());
        List<Map.Entry<String, List<StreamEntry>>> got = call("read", () -> {
            RedisConnections c = connections();
            return c.redis.xread(params, Map.of(c.keys.stream(streamId), new StreamEntryID(after, 0)));
        });
        if (got == null || got.isEmpty()) return List.of();
        List<String> events = new ArrayList<>();
        for (Map.Entry<String, List<StreamEntry>> e : got) {
            for (StreamEntry entry : e.getValue()) events.add(entry.getFields().get("e"));
        }
        return events;
    }

    /**
     * {@inheritDoc} Every stream this node follows is read by one {@code XREAD BLOCK} on one
     * connection (on a cluster, one per tag: one per master for the streams the nodes placed), on
     * one of the store's reader threads, which calls the handlers.
     */
    @Override
    public Follow follow(String streamId, long after, FollowHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return call("follow", () -> reader.follow(streamId, after, handler));
    }

    @Override
    public boolean exists(String streamId) {
        return call("exists", () -> {
            RedisConnections c = connections();
            return c.redis.exists(c.keys.record(streamId));
        });
    }

    /**
     * {@inheritDoc} For a node TTL after this store finds Redis back from an outage (a cluster's
     * failover included) it answers true (the running node may not have refreshed its liveness or
     * rewritten its records yet: a Redis that restarted may have lost them), so every node sharing a
     * Redis should have the same {@linkplain Builder#nodeTtl node TTL}.
     */
    @Override
    public boolean running(String streamId) {
        return call("running", () -> {
            RedisConnections c = connections();
            String owner = c.redis.get(c.keys.record(streamId));
            if (owner != null && c.redis.exists(c.keys.liveness(owner))) return true;
            return !reachable || System.nanoTime() - backSince < nodeTtl.toNanos();
        });
    }

    @Override
    public boolean send(String streamId, String command) {
        return call("send", () -> {
            RedisConnections c = connections();
            return Long.valueOf(1)
                    .equals(c.redis.eval(
                            SEND,
                            List.of(c.keys.record(streamId)),
                            List.of(
                                    c.keys.commandsPrefix(streamId),
                                    streamId,
                                    command,
                                    Long.toString(nodeTtl.toMillis() * 20))));
        });
    }

    /**
     * {@inheritDoc} The handles of a stream are a hash ({@code t:ID}) in its slot, with the life of
     * its record, extended with it. This node holds them too, while it runs the stream, and writes
     * them again after an outage (Redis may have restarted empty), as the stream's record: a handle
     * given while Redis is away is written then.
     *
     * @throws IllegalArgumentException if the stream is not one this node registered
     */
    @Override
    public void putTask(String streamId, String callId, String handle) {
        Long until = owned.get(streamId);
        long left = until == null ? 0 : (until - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw new IllegalArgumentException("stream " + streamId + " is not one this node runs");
        handles.computeIfAbsent(streamId, k -> new ConcurrentHashMap<>()).put(callId, handle);
        call("putTask", () -> {
            RedisConnections c = connections();
            return c.redis.eval(
                    PUT_TASK, List.of(c.keys.tasks(streamId)), List.of(callId, handle, Long.toString(left)));
        });
    }

    @Override
    public Map<String, String> tasks(String streamId) {
        Map<String, String> got = call("tasks", () -> {
            RedisConnections c = connections();
            return c.redis.hgetAll(c.keys.tasks(streamId));
        });
        return got == null ? Map.of() : Map.copyOf(got);
    }

    /**
     * {@inheritDoc} The running node's liveness is read first; then one script on the stream's
     * slot replaces the record only if it still names that node, so of several nodes one wins.
     */
    @Override
    public boolean takeOver(String streamId, Duration ttl) {
        boolean took = call("takeOver", () -> {
            RedisConnections c = connections();
            String owner = c.redis.get(c.keys.record(streamId));
            if (owner == null || owner.equals(node) || c.redis.exists(c.keys.liveness(owner))) return false;
            if (!reachable || System.nanoTime() - backSince < nodeTtl.toNanos()) return false; // as running() says
            return Long.valueOf(1)
                    .equals(c.redis.eval(
                            TAKE_OVER,
                            List.of(c.keys.record(streamId), c.keys.tasks(streamId)),
                            List.of(owner, node, Long.toString(ttl.toMillis()))));
        });
        if (took) {
            owned.put(streamId, System.nanoTime() + ttl.toNanos());
            try { // this node holds them from now on, to write them again after an outage
                handles.put(streamId, new ConcurrentHashMap<>(tasks(streamId)));
            } catch (RelayException e) {
                // Redis went away just now: what the next putTask gives is held
            }
            RedisConnections c = connections;
            if (c != null) reader.reading(c.keys.group(streamId)); // its commands now come here
        }
        return took;
    }

    /** A chat recorded for a stream this node runs: what to extend with the stream, and to write again after an outage. */
    private record ChatOf(String chatId, String ownerHash) {}

    /**
     * {@inheritDoc} The record lives as long as the stream's own ({@code o:ID}): set with what is
     * left of it, extended when {@link #append} extends it, written again after an outage.
     *
     * @throws IllegalArgumentException if the stream is not one this node registered
     */
    @Override
    public boolean putChat(String chatId, String ownerHash, String streamId) {
        Long until = owned.get(streamId);
        long left = until == null ? 0 : (until - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw new IllegalArgumentException("stream " + streamId + " is not one this node runs");
        boolean put = call("putChat", () -> {
            RedisConnections c = connections();
            return Long.valueOf(1)
                    .equals(c.redis.eval(
                            PUT_CHAT, List.of(c.keys.chat(chatId)), List.of(ownerHash, streamId, Long.toString(left))));
        });
        if (put) {
            chats.entrySet().removeIf(e -> e.getValue().chatId().equals(chatId)); // the chat's earlier stream here
            chats.put(streamId, new ChatOf(chatId, ownerHash));
        }
        return put;
    }

    @Override
    public Optional<ChatRecord> chat(String chatId) {
        String v = call("chat", () -> {
            RedisConnections c = connections();
            return c.redis.get(c.keys.chat(chatId));
        });
        int space = v == null ? -1 : v.indexOf(' ');
        return space < 0
                ? Optional.empty()
                : Optional.of(new ChatRecord(v.substring(0, space), v.substring(space + 1)));
    }

    @Override
    public void removeChat(String chatId, String streamId) {
        chats.remove(streamId);
        call("removeChat", () -> {
            RedisConnections c = connections();
            return c.redis.eval(TOUCH_CHAT, List.of(c.keys.chat(chatId)), List.of(streamId, "0"));
        });
    }

    @Override
    public void listen(BiConsumer<String, String> handler) {
        Objects.requireNonNull(handler, "handler");
        if (listening.getAndSet(true)) throw new IllegalStateException("listen() was called already");
        reader.listen(handler);
    }

    /** Stops the liveness refresh, the readers and the writers and closes the connections; the liveness key lapses. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        liveness.interrupt();
        reader.close();
        opening.lock();
        try {
            RedisConnections c = connections;
            if (c != null) c.close();
        } finally {
            opening.unlock();
        }
        // its command in flight (a connection being opened, its AUTH) ends before close returns: none reaches the
        // server after it
        try {
            liveness.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long {@link #close} waits for the liveness refresh in flight to end (it was interrupted). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /** {@return whether the liveness refresh still runs} For tests: not once {@link #close} has returned. */
    boolean livenessRunning() {
        return liveness.isAlive();
    }

    /**
     * {@return the gateway's minted keys and their budgets on this store's Redis, through its
     * connections: shared by every node on the same Redis, kept across restarts} Each key is a hash
     * {@code a:ID} (its members and its counts, its secret's SHA-256 only), indexed by {@code ah:}
     * (hash to id) and {@code a:} (ids by creation); a reservation is one Lua script. On a cluster
     * they share the tag {@code {keys}}. A key found is kept in this node's memory for
     * {@link Builder#keyCacheTtl}: a request with a key found that recently reaches Redis only to reserve
     * its budget, and a key revoked on another node is refused by its next reservation here. The same
     * object each call.
     */
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    @Override
    public String toString() {
        RedisConnections c = connections;
        return "RedisRelayStore[" + url + (c != null && c.clustered() ? ", Redis Cluster" : "") + ", node " + node
                + "]";
    }

    // ---- the store's threads

    private void keepAlive() {
        long every = Math.max(1, nodeTtl.toMillis() / 3);
        while (!closed) {
            try {
                RedisConnections c = connections();
                c.redis.set(c.keys.liveness(node), "1", SetParams.setParams().px(nodeTtl.toMillis()));
                long now = System.nanoTime();
                owned.values().removeIf(until -> until - now <= 0);
                expiring.values().removeIf(until -> until - now <= 0);
                chats.keySet().retainAll(owned.keySet());
                handles.keySet().retainAll(owned.keySet());
                if (!c.clustered()) reader.reading(""); // the one reader of a single Redis reads this node's commands
                else c.renewHomeTags(); // a failover or a resharding moves the masters' slots
                if (recount) rewriteRecords(c);
                if (!reachable) {
                    backSince = now;
                    LOG.log(System.Logger.Level.INFO, "the relay's store at " + url + " answers again");
                }
                reachable = true;
            } catch (JedisException e) {
                wentAway("refreshing this node's liveness", e);
            }
            try {
                Thread.sleep(every); // the refresh period, not a wait for an outcome
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * After an outage (Redis may have restarted empty, a cluster's replica taken over without the
     * last writes): this node's places, as it counts them, replace what Redis has for it, and the
     * records of the streams it runs are written again, so that other nodes find them and do not
     * take it for lost.
     */
    private void rewriteRecords(RedisConnections c) {
        recount = false;
        try {
            if (c.clustered()) {
                // one command at a time, each to its slot's master: Jedis 6's cluster pipeline, its sync
                // meeting a master still down, fails on a worker thread of its own (a task removing the
                // node through the iterator the syncing thread walks), an exception no caller gets
                writeRecords(c, new Writes() {
                    @Override
                    public void hset(String key, String field, String value) {
                        c.redis.hset(key, field, value);
                    }

                    @Override
                    public void hdel(String key, String field) {
                        c.redis.hdel(key, field);
                    }

                    @Override
                    public void set(String key, String value, SetParams params) {
                        c.redis.set(key, value, params);
                    }

                    @Override
                    public void pexpire(String key, long millis) {
                        c.redis.pexpire(key, millis);
                    }
                });
            } else {
                pipelineRecords(c);
            }
        } catch (RuntimeException e) {
            recount = true;
            throw e instanceof JedisException j ? j : new JedisConnectionException(e);
        }
    }

    @SuppressWarnings("deprecation") // Jedis's pipelined() answers a PipelineBase
    private void pipelineRecords(RedisConnections c) {
        List<Response<?>> answers = new ArrayList<>();
        try (PipelineBase p = c.redis.pipelined()) {
            writeRecords(c, new Writes() {
                @Override
                public void hset(String key, String field, String value) {
                    answers.add(p.hset(key, field, value));
                }

                @Override
                public void hdel(String key, String field) {
                    answers.add(p.hdel(key, field));
                }

                @Override
                public void set(String key, String value, SetParams params) {
                    answers.add(p.set(key, value, params));
                }

                @Override
                public void pexpire(String key, long millis) {
                    answers.add(p.pexpire(key, millis));
                }
            });
            p.sync();
            for (Response<?> r : answers) r.get();
        }
    }

    /** The writes that rewrite this node's records: through a pipeline, or one at a time. */
    private interface Writes {
        void hset(String key, String field, String value);

        void hdel(String key, String field);

        void set(String key, String value, SetParams params);

        void pexpire(String key, long millis);
    }

    /** This node's places and the records of the streams it runs (their chats' and task handles), written through {@code w}. */
    private void writeRecords(RedisConnections c, Writes w) {
        long now = System.nanoTime();
        for (Map.Entry<String, AtomicInteger> e : places.entrySet()) {
            int n = e.getValue().get();
            if (n > 0) w.hset(c.keys.counter(e.getKey()), node, Integer.toString(n));
            else w.hdel(c.keys.counter(e.getKey()), node);
        }
        for (Map.Entry<String, Long> e : owned.entrySet()) {
            long left = (e.getValue() - now) / 1_000_000;
            if (left <= 0) continue;
            w.set(c.keys.record(e.getKey()), node, SetParams.setParams().px(left));
            Map<String, String> tasks = handles.get(e.getKey());
            if (tasks != null && !tasks.isEmpty()) {
                for (Map.Entry<String, String> t : tasks.entrySet())
                    w.hset(c.keys.tasks(e.getKey()), t.getKey(), t.getValue());
                w.pexpire(c.keys.tasks(e.getKey()), left);
            }
            ChatOf chat = chats.get(e.getKey());
            if (chat != null) { // unless a newer stream of the chat, on another node, wrote its own first
                w.set(
                        c.keys.chat(chat.chatId()),
                        chat.ownerHash() + " " + e.getKey(),
                        SetParams.setParams().px(left).nx());
            }
        }
    }

    // ---- helpers

    /**
     * {@return the connections to Redis, opened by the first call that finds a seed answering}
     *
     * @throws JedisException if none answers, or what answered cannot be used (the message says why)
     */
    RedisConnections connections() {
        RedisConnections c = connections;
        if (c != null) return c;
        opening.lock();
        try {
            if (connections == null) {
                if (closed) throw new JedisConnectionException("the store is closed");
                try {
                    connections = RedisConnections.open(url, prefix, config, pool);
                } catch (IllegalArgumentException e) { // build() says so; later, the store is unavailable, and says why
                    if (!built) throw e;
                    throw new JedisConnectionException(e.getMessage(), e);
                }
            }
            return Objects.requireNonNull(connections, "opened above");
        } finally {
            opening.unlock();
        }
    }

    <T> T call(String what, Supplier<T> command) {
        if (closed) throw new RelayException(RelayException.Kind.UNAVAILABLE, UNAVAILABLE);
        try {
            return command.get();
        } catch (JedisException e) {
            wentAway(what, e);
            throw new RelayException(RelayException.Kind.UNAVAILABLE, UNAVAILABLE);
        }
    }

    boolean closed() {
        return closed;
    }

    /** {@return whether this node runs a stream whose keys are of a reader's group} */
    boolean runsIn(String group) {
        RedisConnections c = connections;
        if (c == null) return false;
        for (String id : owned.keySet()) if (c.keys.group(id).equals(group)) return true;
        return false;
    }

    /** Wakes a reader of this node: an entry without a command on its command stream, in one round trip. */
    void wake(String commands) {
        connections().redis.eval(WAKE, List.of(commands), List.of(Long.toString(nodeTtl.toMillis() * 20)));
    }

    void wentAway(String what, JedisException e) {
        if (closed) return;
        if (!RedisConnections.outage(e)) { // Redis answered, with an error: not an outage
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the relay's store refused " + what + ": " + RedisConnections.describe(e));
            return;
        }
        recount = true;
        expiring.clear(); // a Redis that restarted has no expiry to keep: the next append sets it
        if (reachable) {
            reachable = false;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the relay's store at " + url + " cannot be reached (" + what + "): " + RedisConnections.describe(e)
                            + "; new streams are refused until it is back");
        }
    }

    private static String newNode() {
        byte[] b = new byte[9];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Builds a {@link RedisRelayStore}; each setter checks its argument at once. */
    public static final class Builder {
        private final RedisUrl url;
        private @Nullable String user;
        private @Nullable String password;
        private String prefix = "sluice:";
        private @Nullable String node;
        private Duration nodeTtl = Duration.ofSeconds(3);
        private int maxConnections = 256;
        private Duration keyCacheTtl = Duration.ofSeconds(5);
        private @Nullable SSLSocketFactory trustedCa;

        private Builder(String url) {
            this.url = RedisUrl.parse(url);
            this.user = this.url.user();
            this.password = this.url.password();
        }

        /**
         * Sets the user and password, in place of those of the URL (from the environment, say).
         *
         * @param user the ACL user, or null for the default user
         * @param password the password, or null for none
         * @return this builder
         */
        public Builder credentials(@Nullable String user, @Nullable String password) {
            this.user = user == null || user.isEmpty() ? null : user;
            this.password = password == null || password.isEmpty() ? null : password;
            return this;
        }

        /**
         * Sets the prefix of every key.
         *
         * @param prefix put before every key; not blank, without {@code {} or {@code }} (on a
         *     cluster the store puts its own hash tags after it); default {@code sluice:}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank()) throw new IllegalArgumentException("prefix must not be blank");
            if (prefix.contains("{") || prefix.contains("}"))
                throw new IllegalArgumentException(
                        "prefix must not hold '{' or '}' (the store puts its own hash tags after it): \"" + prefix
                                + "\"");
            this.prefix = prefix;
            return this;
        }

        /**
         * Names this node.
         *
         * @param node this node's name among the relays sharing the Redis: letters, digits,
         *     {@code -}, {@code _} and {@code .}; default 12 random characters, new at each start
         * @return this builder
         */
        public Builder node(String node) {
            Objects.requireNonNull(node, "node");
            if (!node.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(
                        "a node name is 1 to 64 letters, digits, '-', '_' or '.': \"" + node + "\"");
            }
            this.node = node;
            return this;
        }

        /**
         * Sets how long a node's liveness key lasts.
         *
         * @param ttl how long a node's liveness key lasts without a refresh (refreshed every third
         *     of it): other nodes' followers learn that this node stopped within it plus two seconds;
         *     at least 300 ms; default 3 s
         * @return this builder
         */
        public Builder nodeTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "nodeTtl");
            if (ttl.toMillis() < 300) throw new IllegalArgumentException("nodeTtl must be at least 300 ms: " + ttl);
            this.nodeTtl = ttl;
            return this;
        }

        /**
         * Sets how long a minted key found ({@link RedisRelayStore#apiKeys()}) is kept in this node's memory.
         *
         * @param ttl how long a key found is kept, so that the requests that come with it within that time cost
         *     no round trip to find it (each that spends still reaches Redis once, to reserve its budget: a key
         *     revoked on another node is refused there, and found no more); meanwhile a request that spends
         *     nothing ({@code GET /v1/models}, {@code count_tokens}, the page) with a key revoked on another node
         *     is still let in; a key revoked on this node is dropped at once; {@link Duration#ZERO} keeps none;
         *     default 5 s, at most 1 min
         * @return this builder
         * @throws IllegalArgumentException if it is negative or over a minute
         */
        public Builder keyCacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "keyCacheTtl");
            if (ttl.isNegative() || ttl.compareTo(Duration.ofMinutes(1)) > 0)
                throw new IllegalArgumentException("keyCacheTtl must be from 0 to 1 min: " + ttl);
            this.keyCacheTtl = ttl;
            return this;
        }

        /**
         * Bounds the connections to Redis.
         *
         * @param n the most connections to Redis at once, to each node of a cluster (the readers and
         *     the writer hold one each, other calls borrow one while they run); at least 3; default
         *     256
         * @return this builder
         */
        public Builder maxConnections(int n) {
            if (n < 3)
                throw new IllegalArgumentException(
                        "maxConnections must be at least 3 (the reader, the writer and one more): " + n);
            this.maxConnections = n;
            return this;
        }

        /**
         * Pins the CA of a {@code rediss://} store: its servers' certificates must be signed by a
         * CA of this file, and no other (not the JDK's trust store). Without it, the JDK's trust
         * store is used ({@code javax.net.ssl.trustStore} when set). Either way the certificate
         * must name the host or IP address each connection is made to (a seed of the URL, or a
         * node a Redis Cluster announces), as HTTPS checks it, before anything is sent.
         *
         * @param pemFile a file of one or more PEM CA certificates ({@code -----BEGIN CERTIFICATE-----})
         * @return this builder
         * @throws IllegalArgumentException if the URL is not {@code rediss://}, or the file cannot
         *     be read or holds no certificate (the message names the file and says why)
         */
        public Builder trustedCa(Path pemFile) {
            Objects.requireNonNull(pemFile, "pemFile");
            if (!url.tls())
                throw new IllegalArgumentException(
                        "a CA is for a rediss:// (TLS) store, and " + url + " is not TLS: use rediss://");
            this.trustedCa = RedisTls.trusting(pemFile);
            return this;
        }

        /**
         * {@return the store: it asks the URL's seeds, in turn, whether they are a single Redis or
         * a node of a Redis Cluster, and its liveness refresh starts now; when none answers yet it
         * connects as it is used}
         *
         * @throws IllegalArgumentException if the URL names a database other than 0 and a seed
         *     answers as a node of a Redis Cluster
         */
        public RedisRelayStore build() {
            return new RedisRelayStore(this);
        }

        @Override
        public String toString() {
            return "RedisRelayStore.Builder[" + url + "]";
        }
    }
}
