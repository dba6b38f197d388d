package dev.sluice.relay.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

/** The store's URL: one address or a seed list, TLS, user and password, database; shown without credentials. */
class RedisUrlTest {

    @Test
    void parse_oneAddress_portAndDatabaseDefaulted() {
        RedisUrl u = RedisUrl.parse("redis://redis.internal");
        assertEquals(List.of(new HostAndPort("redis.internal", 6379)), u.seeds());
        assertEquals(0, u.database());
        assertFalse(u.tls());
        assertEquals("redis://redis.internal:6379/0", u.toString());
    }

    @Test
    void parse_seedListWithTlsUserPasswordAndIpv6_eachSeedInOrder_shownWithoutCredentials() {
        RedisUrl u = RedisUrl.parse("rediss://app:p%40ss,word@10.0.0.1:7000, cfg.example.com ,[::1]:7002/0");
        assertTrue(u.tls());
        assertEquals(
                List.of(
                        new HostAndPort("10.0.0.1", 7000),
                        new HostAndPort("cfg.example.com", 6379),
                        new HostAndPort("::1", 7002)),
                u.seeds());
        assertEquals("app", u.user());
        assertEquals("p@ss,word", u.password());
        assertEquals("rediss://10.0.0.1:7000,cfg.example.com:6379,[::1]:7002/0", u.toString());
    }

    @Test
    void parse_passwordOnly_noUser() {
        RedisUrl u = RedisUrl.parse("redis://:s3cret@h:1/2");
        assertNull(u.user());
        assertEquals("s3cret", u.password());
        assertEquals(2, u.database());
    }

    @Test
    void parse_notARedisUrl_refusedWithoutThePassword() {
        for (String bad : List.of(
                "http://alice:s3cret-pw@host:1",
                "redis://alice:s3cret-pw@",
                "redis://alice:s3cret-pw@h:1,,h2:2",
                "redis://alice:s3cret-pw@h:99999",
                "redis://alice:s3cret-pw@[::1",
                "redis://alice:s3cret-pw@h:x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(bad), bad);
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertTrue(e.getMessage().startsWith("not a Redis URL: "), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("redis://h:1/zero"))
                .getMessage()
                .contains("is a number"));
    }

    @Test
    void prefix_withBraces_refused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RedisRelayStore.builder("redis://127.0.0.1:1").prefix("app:{x}:"));
        assertTrue(e.getMessage().contains("hash tags"), e.getMessage());
    }

    @Test
    void keys_onACluster_tagRightAfterThePrefix_aClientsBracesChooseNoSlot() {
        Keys k = new Keys("sluice:", true);
        assertEquals("sluice:{AbC}s:AbCdefghijklmnopqrstuv", k.stream("AbCdefghijklmnopqrstuv"));
        assertEquals("sluice:{AbC}o:AbCdefghijklmnopqrstuv", k.record("AbCdefghijklmnopqrstuv"));
        assertEquals(
                "sluice:{-}s:{x}yz", k.stream("{x}yz"), "an id that is not ours: a tag of its own, not its braces");
        assertTrue(k.chat("{nodes}").matches("sluice:\\{[0-9a-f]+}ch:\\{nodes}"), k.chat("{nodes}"));
        assertEquals("sluice:{nodes}k:client:10.0.0.1", k.counter("client:10.0.0.1"));
        Keys single = new Keys("sluice:", false);
        assertEquals("sluice:s:AbCdefghijklmnopqrstuv", single.stream("AbCdefghijklmnopqrstuv"));
        assertEquals("sluice:c:node1", single.commands("node1", ""));
    }
}
