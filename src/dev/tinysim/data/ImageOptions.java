package dev.tinysim.data;

import java.util.Locale;

/**
 * How an image becomes a model input: fitted to the input's height × width, its channels ordered, its 0..255
 * pixel values scaled.
 *
 * @param resize   stretch to H×W, or centre-crop to the input's aspect ratio first
 * @param channels rgb, bgr or gray; null: gray for a 1-channel input, rgb for 3
 * @param scale    what 0..255 becomes; null: chosen from the int8 input's range (see {@link PixelScale#forRange})
 */
public record ImageOptions(Resize resize, Channels channels, PixelScale scale) {
    public static final ImageOptions DEFAULT = new ImageOptions(Resize.STRETCH, null, null);

    public ImageOptions {
        resize = resize == null ? Resize.STRETCH : resize;
    }

    public enum Resize {
        /** Bilinear to H×W, whatever the aspect ratio. */
        STRETCH,
        /** The largest centred region of the input's aspect ratio, then bilinear to H×W. */
        CROP;

        public static Resize parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "stretch" -> STRETCH;
                case "crop" -> CROP;
                default -> throw DataException.usage("--resize: '" + s + "' is neither stretch nor crop");
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Channels {
        RGB, BGR, GRAY;

        public static Channels parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "rgb" -> RGB;
                case "bgr" -> BGR;
                case "gray", "grey" -> GRAY;
                default -> throw DataException.usage("--channels: '" + s + "' is not rgb, bgr or gray");
            };
        }

        public int count() {
            return this == GRAY ? 1 : 3;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a pixel value p in 0..255 becomes. */
    public enum PixelScale {
        UNIT("0..1"), SIGNED("-1..1"), BYTE("0..255");

        private final String text;

        PixelScale(String text) {
            this.text = text;
        }

        public static PixelScale parse(String s) {
            String t = s.strip().replace(" ", "");
            for (PixelScale p : values()) {
                if (p.text.equals(t)) {
                    return p;
                }
            }
            throw DataException.usage("--scale: '" + s + "' is not 0..1, -1..1 or 0..255");
        }

        public float apply(float p) {
            return switch (this) {
                case UNIT -> p / 255f;
                case SIGNED -> p / 127.5f - 1f;
                case BYTE -> p;
            };
        }

        /**
         * The scale whose range an int8 input with these parameters covers: its real range
         * [scale × (−128 − zp), scale × (127 − zp)] reaching above 2 means 0..255, below −0.25 means −1..1, else 0..1.
         */
        public static PixelScale forRange(float scale, int zeroPoint) {
            double lo = scale * (-128.0 - zeroPoint);
            double hi = scale * (127.0 - zeroPoint);
            return hi > 2 ? BYTE : lo < -0.25 ? SIGNED : UNIT;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
