package dev.sluice.mcp;

import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a call's {@code notifications/progress} into reports to its {@link ProgressListener}
 * (2026-07-28 basic/patterns/progress; 2025-11-25 basic/utilities/progress): {@code progress}
 * and the optional {@code total} and {@code message}.
 */
final class Progress {
    private final ProgressListener listener;

    Progress(ProgressListener listener) {
        this.listener = listener;
    }

    /** {@return whether the message was this call's progress (and so resets its progress timeout)} */
    boolean accept(Map<String, Object> message, String token) {
        if (!"notifications/progress".equals(message.get("method"))) return false;
        if (!(message.get("params") instanceof Map<?, ?> p) || !token.equals(p.get("progressToken"))) return false;
        Double progress = number(p.get("progress"));
        if (progress == null) return false;
        Double total = number(p.get("total"));
        if (total != null && total <= 0) total = null;
        String text = p.get("message") instanceof String s && !s.isBlank() ? s : "";
        report(text, progress, total);
        return true;
    }

    private void report(String message, double progress, @Nullable Double total) {
        if (!Double.isFinite(progress)) return;
        double done = Math.max(0, progress);
        // a server that overshoots its total raises it, as the listener's contract promises
        listener.progress(message, done, total == null || !Double.isFinite(total) ? null : Math.max(total, done));
    }

    private static @Nullable Double number(@Nullable Object value) {
        if (value instanceof Long l) return l.doubleValue();
        if (value instanceof BigDecimal d) return d.doubleValue();
        if (value instanceof Number n) return n.doubleValue();
        return null;
    }
}
