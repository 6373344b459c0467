package dev.tinysim.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a mono {@code .wav} file (RIFF/WAVE): 16-bit PCM, scaled to [-1, 1) by 1/32768 as
 * {@code tf.audio.decode_wav} does, or 32-bit IEEE float as stored; {@code WAVE_FORMAT_EXTENSIBLE} with either
 * sub-format too. Other sample formats, more than one channel, and a sample rate other than the one asked for
 * are refused by name: tinysim never resamples, mixes down or converts audio behind the user's back.
 */
public final class WavReader {
    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;

    private WavReader() {
    }

    /**
     * @param sampleRate frames per second
     * @param encoding   "16-bit PCM" or "32-bit float"
     * @param values     the samples as floats (PCM scaled to [-1, 1))
     */
    public record Audio(int sampleRate, String encoding, float[] values) {
    }

    /**
     * @param expectedRate the sample rate the model was trained at (--sample-rate), or null to take any
     */
    public static Audio read(byte[] bytes, String name, Integer expectedRate) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !ascii(bytes, 0, "RIFF") || !ascii(bytes, 8, "WAVE")) {
            throw DataException.corrupt(name, "not a WAV file (no RIFF/WAVE header)");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int dataAt = -1;
        long dataLength = 0;
        int at = 12;
        while ((long) at + 8 <= bytes.length) {   // long: a chunk size near 4 GB leaves at at Integer.MAX_VALUE
            String id = new String(bytes, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = b.getInt(at + 4) & 0xffffffffL;
            int body = at + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + size > bytes.length) {
                    throw DataException.corrupt(name, "truncated 'fmt ' chunk");
                }
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2) & 0xffff;
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14) & 0xffff;
                if (format == EXTENSIBLE) {
                    if (size < 40) {
                        throw DataException.corrupt(name, "truncated WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk");
                    }
                    format = b.getShort(body + 24) & 0xffff;   // the sub-format GUID starts with the format code
                }
            } else if (id.equals("data")) {
                dataAt = body;
                dataLength = size;
                if (body + size > bytes.length) {
                    throw DataException.corrupt(name, "truncated: the data chunk says " + size + " bytes, the file has "
                            + (bytes.length - body));
                }
                break;
            }
            at = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));   // chunks are padded to even sizes
        }
        if (format < 0) {
            throw DataException.corrupt(name, "no 'fmt ' chunk before the audio data");
        }
        if (dataAt < 0) {
            throw DataException.corrupt(name, "no 'data' chunk");
        }
        String encoding;
        if (format == PCM && bits == 16) {
            encoding = "16-bit PCM";
        } else if (format == IEEE_FLOAT && bits == 32) {
            encoding = "32-bit float";
        } else {
            String what = switch (format) {
                case PCM -> bits + "-bit PCM";
                case IEEE_FLOAT -> bits + "-bit float";
                case 6 -> "A-law";
                case 7 -> "mu-law";
                default -> "format code " + format;
            };
            throw DataException.corrupt(name, what + " audio; tinysim reads 16-bit PCM and 32-bit float WAV files "
                    + "(convert it, e.g. sox in.wav -b 16 -e signed-integer out.wav)");
        }
        if (channels != 1) {
            throw DataException.corrupt(name, channels + " channels; tinysim reads mono WAV files and does not mix them "
                    + "down (e.g. sox in.wav -c 1 out.wav)");
        }
        if (expectedRate != null && rate != expectedRate) {
            throw DataException.mismatch(name, "sample rate " + rate + " Hz, but --sample-rate is " + expectedRate
                    + " Hz; tinysim does not resample (resample it first, e.g. sox in.wav -r " + expectedRate + " out.wav)");
        }
        int frameBytes = bits / 8;
        int frames = (int) (dataLength / frameBytes);
        float[] values = new float[frames];
        for (int i = 0; i < frames; i++) {
            values[i] = format == PCM ? b.getShort(dataAt + 2 * i) / 32768f : b.getFloat(dataAt + 4 * i);
        }
        return new Audio(rate, encoding, values);
    }

    private static boolean ascii(byte[] bytes, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (bytes[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
