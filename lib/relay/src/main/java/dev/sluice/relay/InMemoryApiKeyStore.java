package dev.sluice.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keys of one node, in the heap ({@link ApiKeyStore#inMemory()}).
 *
 * <p>Threading: the lock guards both maps and every account's counts, so a reservation's check and
 * its taking are one step.
 */
final class InMemoryApiKeyStore implements ApiKeyStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Account> byId = new LinkedHashMap<>();
    private final Map<String, String> idByHash = new HashMap<>();

    /** A key's counts; guarded by the store's lock. */
    private static final class Account {
        final ApiKey key;
        final String hash;
        long used;
        long reserved;
        long requests;

        Account(ApiKey key, String hash) {
            this.key = key;
            this.hash = hash;
        }
    }

    @Override
    public void add(ApiKey key, String secretHash) {
        lock.lock();
        try {
            if (byId.containsKey(key.id()) || idByHash.containsKey(secretHash))
                throw new IllegalArgumentException("the key " + key.id() + " is kept already");
            byId.put(key.id(), new Account(key, secretHash));
            idByHash.put(secretHash, key.id());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<ApiKey> find(String secretHash) {
        lock.lock();
        try {
            String id = idByHash.get(secretHash);
            Account a = id == null ? null : byId.get(id);
            return a == null ? Optional.empty() : Optional.of(a.key);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<KeyAccount> keys() {
        lock.lock();
        try {
            List<KeyAccount> all = new ArrayList<>(byId.size());
            for (Account a : byId.values()) all.add(new KeyAccount(a.key, a.used, a.reserved, a.requests));
            return all;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean revoke(String id) {
        lock.lock();
        try {
            Account a = byId.remove(id);
            if (a == null) return false;
            idByHash.remove(a.hash);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean reserve(ApiKey key, long tokens) {
        if (tokens <= 0) throw new IllegalArgumentException("tokens must be positive: " + tokens);
        lock.lock();
        try {
            Account a = byId.get(key.id());
            if (a == null) return false;
            long budget = a.key.maxTokensTotal();
            if (budget > 0 && a.used + a.reserved >= budget) return false;
            a.reserved += tokens;
            a.requests++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void settle(ApiKey key, long reserved, long used) {
        lock.lock();
        try {
            Account a = byId.get(key.id());
            if (a == null) return;
            a.reserved = Math.max(0, a.reserved - reserved);
            a.used += Math.max(0, used);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "InMemoryApiKeyStore";
    }
}
