package dev.tinysim.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Reads a {@code .png}, {@code .jpg} or {@code .bmp} image with the JDK's {@code javax.imageio} and turns it into
 * one input of height × width × channels: centre-cropped to the input's aspect ratio ({@code crop}) or not
 * ({@code stretch}), resized by bilinear interpolation with half-pixel centres (what {@code tf.image.resize}
 * does without antialiasing; an image already of the input's size is taken pixel for pixel), channels in RGB or
 * BGR order or converted to gray with {@code tf.image.rgb_to_grayscale}'s weights (0.2989, 0.5870, 0.1140), and
 * the 0..255 values scaled ({@link ImageOptions.PixelScale}).
 */
public final class ImageReader {
    private static final float[] GRAY = {0.2989f, 0.5870f, 0.1140f};

    static {
        ImageIO.setUseCache(false);   // decode in memory, no temporary files
    }

    private ImageReader() {
    }

    /** The pixels of an image as 0..255 floats, [height][width][3] (gray images: three equal channels). */
    record Pixels(int width, int height, float[] rgb, boolean gray) {
    }

    /** One image as the input's H×W×C values. */
    public static float[] read(byte[] bytes, String name, int height, int width, ImageOptions.Channels channels,
                               ImageOptions.Resize resize, ImageOptions.PixelScale scale) {
        Pixels p = decode(bytes, name);
        float[] fitted = fit(p, height, width, resize);
        int c = channels.count();
        float[] out = new float[height * width * c];
        for (int i = 0; i < height * width; i++) {
            float r = fitted[3 * i];
            float g = fitted[3 * i + 1];
            float b = fitted[3 * i + 2];
            switch (channels) {
                case RGB -> {
                    out[3 * i] = scale.apply(r);
                    out[3 * i + 1] = scale.apply(g);
                    out[3 * i + 2] = scale.apply(b);
                }
                case BGR -> {
                    out[3 * i] = scale.apply(b);
                    out[3 * i + 1] = scale.apply(g);
                    out[3 * i + 2] = scale.apply(r);
                }
                case GRAY -> out[i] = scale.apply(p.gray() ? r : GRAY[0] * r + GRAY[1] * g + GRAY[2] * b);
            }
        }
        return out;
    }

    /**
     * What the JDK's decoder said, without Java class names: the innermost cause's message (a wrapper's message is
     * often its cause's toString, "java.lang.IllegalArgumentException: Invalid scanline stride"), escaped and cut.
     */
    static String decoderReason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? "the decoder failed" : dev.tinysim.text.Printable.name(m);
    }

    static Pixels decode(byte[] bytes, String name) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw DataException.corrupt(name, "not a readable image: " + decoderReason(e));
        }
        if (img == null) {
            throw DataException.corrupt(name, "not an image the JDK can read (PNG, JPEG, BMP)");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        float[] rgb = new float[3 * w * h];
        Raster raster = img.getRaster();
        boolean gray = img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && raster.getNumBands() <= 2;
        if (gray) {
            // the raster's own values: getRGB would pass a linear gray through an sRGB conversion and change them
            int bits = img.getColorModel().getComponentSize(0);
            float max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) * 255f / max;
                    int k = 3 * (y * w + x);
                    rgb[k] = v;
                    rgb[k + 1] = v;
                    rgb[k + 2] = v;
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = img.getRGB(x, y);
                    int k = 3 * (y * w + x);
                    rgb[k] = (argb >> 16) & 0xff;
                    rgb[k + 1] = (argb >> 8) & 0xff;
                    rgb[k + 2] = argb & 0xff;
                }
            }
        }
        return new Pixels(w, h, rgb, gray);
    }

    /** The image cropped (or not) and resized to height × width, 3 channels. */
    static float[] fit(Pixels p, int height, int width, ImageOptions.Resize resize) {
        int x0 = 0;
        int y0 = 0;
        int cw = p.width();
        int ch = p.height();
        if (resize == ImageOptions.Resize.CROP) {
            // the largest centred region with the target's aspect ratio
            if ((long) p.width() * height > (long) p.height() * width) {
                cw = (int) Math.max(1, Math.round((double) p.height() * width / height));
                x0 = (p.width() - cw) / 2;
            } else {
                ch = (int) Math.max(1, Math.round((double) p.width() * height / width));
                y0 = (p.height() - ch) / 2;
            }
        }
        float[] out = new float[3 * width * height];
        float sy = (float) ch / height;
        float sx = (float) cw / width;
        for (int y = 0; y < height; y++) {
            float iy = (y + 0.5f) * sy - 0.5f;
            int ylo = (int) Math.floor(iy);
            float fy = iy - ylo;
            int y1 = clamp(ylo, ch) + y0;
            int y2 = clamp(ylo + 1, ch) + y0;
            for (int x = 0; x < width; x++) {
                float ix = (x + 0.5f) * sx - 0.5f;
                int xlo = (int) Math.floor(ix);
                float fx = ix - xlo;
                int x1 = clamp(xlo, cw) + x0;
                int x2 = clamp(xlo + 1, cw) + x0;
                for (int c = 0; c < 3; c++) {
                    float tl = p.rgb()[3 * (y1 * p.width() + x1) + c];
                    float tr = p.rgb()[3 * (y1 * p.width() + x2) + c];
                    float bl = p.rgb()[3 * (y2 * p.width() + x1) + c];
                    float br = p.rgb()[3 * (y2 * p.width() + x2) + c];
                    float top = tl + (tr - tl) * fx;
                    float bottom = bl + (br - bl) * fx;
                    out[3 * (y * width + x) + c] = top + (bottom - top) * fy;
                }
            }
        }
        return out;
    }

    private static int clamp(int i, int size) {
        return i < 0 ? 0 : i >= size ? size - 1 : i;
    }
}
