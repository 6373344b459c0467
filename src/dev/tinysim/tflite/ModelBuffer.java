package dev.tinysim.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An entry of the model's buffers table: constant data of one or more tensors. The data is a read-only
 * view into the file's bytes (not copied); {@link #data()} returns a fresh little-endian view each time.
 */
public record ModelBuffer(ByteBuffer data) {

    public static final ModelBuffer EMPTY = new ModelBuffer(ByteBuffer.allocate(0));

    public ModelBuffer {
        data = data.asReadOnlyBuffer();
    }

    public static ModelBuffer of(byte[] bytes) {
        return new ModelBuffer(ByteBuffer.wrap(bytes.clone()));
    }

    @Override
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public int size() {
        return data.remaining();
    }

    public boolean isEmpty() {
        return data.remaining() == 0;
    }

    public byte[] toByteArray() {
        byte[] out = new byte[data.remaining()];
        data().get(out);
        return out;
    }
}
