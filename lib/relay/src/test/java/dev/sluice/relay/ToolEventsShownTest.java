package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.agent.AgentEvent;
import dev.sluice.stream.EventStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a page gets of a tool's error and progress messages: no address of the MCP server or its upstream. */
class ToolEventsShownTest {

    private static List<RelayEvent> relayed(AgentEvent... events) {
        EventStream<AgentEvent> run = EventStream.<AgentEvent>builder().generate(emitter -> {
            for (AgentEvent e : events) emitter.emit(e);
        });
        List<RelayEvent> out = new ArrayList<>();
        try (MappedRelaySource<AgentEvent> source = MappedRelaySource.toolRun("p", "m", run, null)) {
            for (Optional<RelayEvent> e; (e = source.next()).isPresent(); ) out.add(e.get());
        }
        return out;
    }

    @Test
    void toolRun_failureAndProgressNameAddresses_pageGetsThemReplaced() {
        String error =
                "MCP server 'files' failed during the call of tool 'read': could not connect to 10.0.0.5:8443 (connection refused)"
                        + " (https://mcp.internal.example:8443/mcp?…)";
        List<RelayEvent> events = relayed(
                new AgentEvent.ToolProgress(1, "c1", "read", "fetching http://127.0.0.1:9000/blob", 50.0, 1.0, 2.0),
                new AgentEvent.ToolFailed(
                        1, "c1", "read", AgentEvent.ToolFailed.Kind.HANDLER_FAILED, error, Duration.ZERO));
        RelayEvent.ToolProgress progress = (RelayEvent.ToolProgress) events.stream()
                .filter(e -> e instanceof RelayEvent.ToolProgress)
                .findFirst()
                .orElseThrow();
        RelayEvent.ToolFailed failed = (RelayEvent.ToolFailed) events.stream()
                .filter(e -> e instanceof RelayEvent.ToolFailed)
                .findFirst()
                .orElseThrow();
        assertEquals("fetching [address]", progress.message());
        assertEquals(
                "MCP server 'files' failed during the call of tool 'read': could not connect to [address] (connection refused)"
                        + " ([address])",
                failed.message());
        assertFalse(failed.data().contains("internal.example"), failed.data());
    }
}
