package dev.sluice.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fake model's long answers: an article with sections, for prompts that ask for one. */
final class Articles {
    private Articles() {}

    private static final Pattern SENTENCE = Pattern.compile("[^.!?]+[.!?]+");

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

    /**
     * {@return a long article about a topic} The streaming article for streaming topics; otherwise
     * one built around the stored answer, in sections.
     *
     * @param topic the prompt's topic word
     * @param stored the stored answer for the prompt
     */
    static String article(String topic, String stored) {
        String lower = topic.toLowerCase(Locale.ROOT);
        if (lower.startsWith("stream") || lower.equals("sse") || lower.equals("relay") || lower.equals("tokens")) return STREAMING;
        List<String> sentences = new ArrayList<>();
        Matcher m = SENTENCE.matcher(Replies.plain(stored));
        while (m.find()) sentences.add(m.group().strip());
        String title = Character.toUpperCase(topic.charAt(0)) + topic.substring(1);
        StringBuilder sb = new StringBuilder("# ").append(title).append(": a short guide\n\n");
        int half = Math.max(1, sentences.size() / 2);
        sb.append(String.join(" ", sentences.subList(0, Math.min(half, sentences.size())))).append("\n\n");
        sb.append("## The essentials\n\n");
        for (String s : sentences.subList(Math.min(half, sentences.size()), sentences.size())) sb.append("- ").append(s).append('\n');
        sb.append("\n## How to start\n\n")
                .append("1. **Learn the basics first.** A few good habits matter more than any advanced trick.\n")
                .append("2. **Practise a little, often.** Ten minutes a day beats two hours once a week.\n")
                .append("3. **Write down what works.** Your own notes become the best guide you have.\n\n")
                .append("## Common mistakes\n\n")
                .append("| Mistake | Why it hurts | Instead |\n|---|---|---|\n")
                .append("| Doing everything at once | nothing gets done well | one change at a time |\n")
                .append("| Skipping the basics | problems come back later | start simple |\n")
                .append("| Never measuring | you can't tell what helped | keep a short log |\n\n")
                .append("> Start small, stay curious, and keep going.\n\n")
                .append("## Summary\n\n").append(sentences.isEmpty() ? title + " rewards patience." : sentences.getFirst())
                .append(" Ask me a follow-up about any section and I'll go deeper.\n");
        return sb.toString();
    }
}
