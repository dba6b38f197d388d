package dev.sluice.demo;

/** The fake model's long answers: an article with sections, for prompts that ask for one. */
final class Articles {
    private Articles() {}

    private static final String STREAMING = """
            # Streaming a model's answer, end to end

            A language model writes its answer one token at a time. Streaming sends each piece to the reader as \
            soon as it exists, so the first words appear in a few hundred milliseconds instead of after the whole \
            answer is done. This article follows one answer from the model to the page.

            ## 1. The provider's stream

            Every major API streams over **Server-Sent Events**: one long HTTP response whose body is a series of \
            small events, each a few `field: value` lines ended by a blank line.

            ```text
            event: content_block_delta
            data: {"type":"content_block_delta","delta":{"type":"text_delta","text":"Hello"}}
            ```

            The client parses the bytes incrementally, decodes each event's JSON and hands typed events to the \
            program. Nothing waits for the end.

            ## 2. The relay

            A browser should never hold the API key, so a server in the middle — a *relay* — opens the upstream \
            stream and passes the events on. A good relay does three things:

            1. **Numbers every event**, so that a client that lost its connection can say where it stopped.
            2. **Keeps a replay buffer**, so that the missing events can be sent again after a reconnect.
            3. **Applies backpressure**: when a reader is slow, it stops reading from the model instead of \
            buffering without bound.

            ## 3. The page

            The page renders Markdown as it arrives, but not on every token: once per animation frame is \
            enough, and it keeps long answers smooth. Everything the model writes is untrusted, so the HTML \
            is sanitised before it reaches the DOM.

            | Figure | What it measures | Typical value |
            |---|---|---|
            | Time to first token | request sent → first text | 0.3–1.5 s |
            | Tokens per second | generation speed after the first token | 30–150 |
            | Resume gap | events lost in a reconnect | 0 |

            ## 4. When things go wrong

            Connections drop: laptops sleep, trains enter tunnels, servers restart. With numbered events and \
            `Last-Event-ID`, a reconnect picks up exactly where it stopped — nothing lost, nothing doubled. \
            Reconnects should back off exponentially, with jitter, so that a thousand clients do not all \
            return in the same millisecond.

            > The best stream is the one the reader never notices: it just keeps writing.

            ## Summary

            Stream from the provider, relay with ids and a buffer, render once per frame, sanitise \
            everything, and resume without gaps. That is the whole recipe.
            """;

    /** {@return a long article about a topic: the streaming one for streaming and SSE, else the topic's own} */
    static String article(Topics.Topic topic) {
        return topic.id().equals("streaming") || topic.id().equals("sse") ? STREAMING : topic.article();
    }
}
