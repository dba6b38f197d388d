package dev.sluice.relay.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes appended in blocks that grow from 256 bytes to 16 KiB: growing copies nothing, what is held
 * is at most its size and one block more ({@link #capacity()}), and it is written out as it is.
 *
 * <p>Threading: one thread at a time.
 */
final class ByteBlocks {
    private static final int FIRST = 256;
    private static final int LARGEST = 16 * 1024;

    private final List<byte[]> blocks = new ArrayList<>();
    private int used; // bytes in the last block
    private long size;
    private long capacity;

    /** {@return the bytes appended} */
    long size() {
        return size;
    }

    /** {@return the bytes held, its blocks' lengths} */
    long capacity() {
        return capacity;
    }

    void append(byte[] b) {
        int off = 0;
        while (off < b.length) {
            if (blocks.isEmpty() || used == blocks.getLast().length) {
                byte[] block = new byte[blocks.isEmpty() ? FIRST : Math.min(LARGEST, blocks.getLast().length * 2)];
                blocks.add(block);
                capacity += block.length;
                used = 0;
            }
            byte[] last = blocks.getLast();
            int n = Math.min(b.length - off, last.length - used);
            System.arraycopy(b, off, last, used, n);
            used += n;
            off += n;
        }
        size += b.length;
    }

    void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < blocks.size(); i++)
            out.write(blocks.get(i), 0, i == blocks.size() - 1 ? used : blocks.get(i).length);
    }

    void clear() {
        blocks.clear();
        used = 0;
        size = 0;
        capacity = 0;
    }
}
