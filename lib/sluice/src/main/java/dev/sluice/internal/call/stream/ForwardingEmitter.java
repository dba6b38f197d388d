package dev.sluice.internal.call.stream;

import dev.sluice.stream.Emitter;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import java.io.Closeable;
import java.util.Objects;

/**
 * An {@link Emitter} that hands everything but the items themselves to another one: for the
 * wrappers a {@link Resumer} puts between a decoder and the stream, which change what is emitted
 * (a token budget counting it, a resume stitching continuations) and nothing else.
 *
 * <p>Threading: the producer's, as the wrapped emitter's.
 *
 * @param <T> the item type
 */
public abstract class ForwardingEmitter<T> implements Emitter<T> {
    /** The emitter forwarded to. */
    protected final Emitter<T> out;

    /** @param out the emitter to forward to */
    protected ForwardingEmitter(Emitter<T> out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void bytesRead(long n) {
        out.bytesRead(n);
    }

    @Override
    public void attach(Closeable source) {
        out.attach(source);
    }

    @Override
    public boolean end(EndReason reason) {
        return out.end(reason);
    }

    @Override
    public boolean isOver() {
        return out.isOver();
    }

    @Override
    public StreamController controller() {
        return out.controller();
    }
}
