package com.meridianreview.ingest;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The images a page serves for one upload, made with the JDK's ImageIO and Java2D: the upload is
 * decoded once, turned upright (EXIF orientation), re-encoded without any of its metadata (EXIF,
 * GPS, XMP, ICC profile, comments: only the pixels are written), and scaled down to the
 * {@code srcset} widths it is wider than, each under a content-hashed name so it can be cached
 * for a year.
 *
 * <p>JPEG stays JPEG (RGB, quality 0.85, no alpha: greyscale and CMYK sources are converted, an
 * embedded ICC profile is applied by the decoder), PNG stays PNG (alpha kept).
 */
public final class Renditions {

    /** The {@code srcset} widths; a width the image does not exceed is skipped, never upscaled. */
    public static final List<Integer> WIDTHS = List.of(320, 640, 1024, 1600);
    public static final float JPEG_QUALITY = 0.85f;

    /** One image file to write: its name (for renditions, {@code <stem>-<width>w-<hash>.<ext>}), type, size and bytes. */
    public record Rendition(String name, String contentType, int width, int height, byte[] bytes) {
        @Override
        public String toString() {
            return "Rendition[" + name + ", " + contentType + ", " + width + "×" + height + ", " + bytes.length + " bytes]";
        }
    }

    /** The full-size image to publish under the caller's name and the smaller renditions, narrowest first. */
    public record Result(Rendition published, List<Rendition> renditions) {
        public Result {
            renditions = List.copyOf(renditions);
        }
    }

    private Renditions() {
    }

    /**
     * Decodes {@code bytes} (which {@code file} describes, from {@link ImageFile#inspect}) and makes
     * the published image, named {@code publishedName}, and the renditions, named from {@code stem}.
     *
     * @throws InvalidImageException when the pixels cannot be decoded (damaged data the header did not show)
     */
    public static Result render(byte[] bytes, ImageFile file, String publishedName, String stem)
            throws InvalidImageException {
        boolean jpeg = file.format().equals(ImageFile.JPEG);
        // One image at a time is kept: each step's input is garbage once the step returns.
        BufferedImage upright = decode(bytes, file);
        upright = jpeg ? toRgb(upright) : forPng(upright);
        if (jpeg) {
            upright = upright(upright, ImageFile.jpegOrientation(bytes));
        }
        if (upright.getWidth() != file.width() || upright.getHeight() != file.height()) {
            throw new IllegalArgumentException("the ImageFile says " + file.width() + "×" + file.height()
                    + " but the bytes decode to " + upright.getWidth() + "×" + upright.getHeight());
        }

        String extension = jpeg ? "jpg" : "png";
        Rendition published = new Rendition(publishedName, file.contentType(), upright.getWidth(), upright.getHeight(),
                encode(upright, jpeg, bytes.length));

        List<Integer> widths = new ArrayList<>();
        for (int w : WIDTHS) {
            if (w < upright.getWidth()) {
                widths.add(w);
            }
        }
        List<Rendition> renditions = new ArrayList<>();
        boolean alpha = upright.getColorModel().hasAlpha();
        BufferedImage level = upright;
        // Widest first: each is scaled in one bicubic step from the smallest halving of the image that is
        // still at least as wide (so every step shrinks by at most half, which keeps fine detail smooth).
        for (int i = widths.size() - 1; i >= 0; i--) {
            int width = widths.get(i);
            int height = Math.max(1, (int) Math.round((double) upright.getHeight() * width / upright.getWidth()));
            while (level.getWidth() / 2 >= width) {
                level = scale(level, level.getWidth() / 2, Math.max(1, level.getHeight() / 2), alpha,
                        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            }
            BufferedImage scaled = scale(level, width, height, alpha, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            byte[] encoded = encode(alpha ? straightAlpha(scaled) : scaled, jpeg, width * height / 4);
            String name = stem + "-" + width + "w-" + sha256(encoded).substring(0, 10) + "." + extension;
            renditions.add(0, new Rendition(name, file.contentType(), width, height, encoded));
        }
        return new Result(published, renditions);
    }

    // ---------------------------------------------------------------- decoding

    private static BufferedImage decode(byte[] bytes, ImageFile file) throws InvalidImageException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(file.format());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + file.format());
        }
        ImageReader reader = readers.next();
        List<String> damage = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            String w = warning.toLowerCase(Locale.ROOT);
            // libjpeg warns of harmless quirks too ("extraneous bytes before marker"); these mean missing pixels.
            if (w.contains("premature end") || w.contains("truncated") || w.contains("bad huffman")
                    || w.contains("instead of rst")) {
                damage.add(warning);
            }
        });
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            // The header again, through the decoder itself: nothing is decoded past the pixel cap.
            List<String> size = new ArrayList<>();
            ImageFile.checkSize(reader.getWidth(0), reader.getHeight(0), size);
            if (size.isEmpty()) {
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                int bytesPerPixel = raw == null ? 4 : Math.max(4, (raw.getColorModel().getPixelSize() + 7) / 8);
                ImageFile.checkDecodedBytes(reader.getWidth(0), reader.getHeight(0), bytesPerPixel, size);
            }
            if (!size.isEmpty()) {
                throw new InvalidImageException(size);
            }
            BufferedImage image = reader.read(0);
            if (!damage.isEmpty()) {
                throw new InvalidImageException(damaged(file));
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // IIOException for damaged data; decoders also throw IllegalArgumentException, CMMException
            // (a broken ICC profile) and index errors on malformed input.
            throw new InvalidImageException(damaged(file));
        } finally {
            reader.dispose();
        }
    }

    private static String damaged(ImageFile file) {
        return "the " + (file.format().equals(ImageFile.JPEG) ? "JPEG" : "PNG") + " is damaged (its pixels cannot"
                + " be decoded, perhaps because the upload was cut off): export it again and upload the new file";
    }

    /** An opaque 8-bit RGB image of a decoded JPEG; greyscale is widened and CMYK converted. */
    private static BufferedImage toRgb(BufferedImage image) {
        int type = image.getType();
        if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        ColorModel cm = image.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_CMYK && cm.getNumComponents() == 4
                && image.getRaster().getTransferType() == DataBuffer.TYPE_BYTE) {
            return cmykToRgb(image.getRaster());
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(image, 0, 0, null); // greyscale is copied into each channel
        g.dispose();
        return rgb;
    }

    /**
     * CMYK as the JDK's JPEG reader hands it over: ink amounts (0 is no ink), already un-inverted from
     * the way Photoshop stores them. A plain conversion without a press profile, close enough for the web.
     */
    private static BufferedImage cmykToRgb(Raster cmyk) {
        int w = cmyk.getWidth();
        int h = cmyk.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] out = ((DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
        int[] row = new int[w * 4];
        for (int y = 0, o = 0; y < h; y++) {
            cmyk.getPixels(0, y, w, 1, row);
            for (int i = 0; i < row.length; i += 4, o += 3) {
                int white = 255 - row[i + 3];
                out[o] = (byte) ((255 - row[i + 2]) * white / 255);     // blue
                out[o + 1] = (byte) ((255 - row[i + 1]) * white / 255); // green
                out[o + 2] = (byte) ((255 - row[i]) * white / 255);     // red
            }
        }
        return rgb;
    }

    /** A decoded PNG as written: 8-bit standard types as they are (palette, grey, RGB, RGBA), others widened. */
    private static BufferedImage forPng(BufferedImage image) {
        switch (image.getType()) {
            case BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_GRAY,
                    BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
                    BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB:
                return image;
            default:
                return widen(image);
        }
    }

    /**
     * 16-bit channels and grey with alpha as 8-bit RGB(A), which is what browsers show anyway. The
     * samples are copied rather than drawn: Java2D would treat the PNG's grey as linear and brighten it.
     */
    private static BufferedImage widen(BufferedImage image) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        int bands = raster.getNumBands();
        boolean alpha = cm.hasAlpha();
        int colours = alpha ? bands - 1 : bands;
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        if ((colours != 1 && colours != 3) || cm.isAlphaPremultiplied()) {
            Graphics2D g = out.createGraphics();
            g.setComposite(AlphaComposite.Src);
            g.drawImage(image, 0, 0, null);
            g.dispose();
            return out;
        }
        int[] max = new int[bands];
        for (int b = 0; b < bands; b++) {
            max[b] = (1 << raster.getSampleModel().getSampleSize(b)) - 1;
        }
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int[] row = new int[w * bands];
        for (int y = 0, o = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int i = 0; i < row.length; i += bands, o++) {
                int r = (row[i] * 255 + max[0] / 2) / max[0];
                int g = colours == 1 ? r : (row[i + 1] * 255 + max[1] / 2) / max[1];
                int b = colours == 1 ? r : (row[i + 2] * 255 + max[2] / 2) / max[2];
                int a = alpha ? (row[i + colours] * 255 + max[colours] / 2) / max[colours] : 255;
                dst[o] = a << 24 | r << 16 | g << 8 | b;
            }
        }
        return out;
    }

    /** Applies an EXIF orientation (2 to 8), since the metadata that carried it is not published. */
    private static BufferedImage upright(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        // x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);   // mirrored left to right
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);  // upside down
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);   // mirrored top to bottom
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);    // transposed
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);   // a quarter turn clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);  // transversed
            default -> new AffineTransform(0, -1, 1, 0, 0, w);  // 8: a quarter turn anticlockwise
        };
        boolean quarter = orientation >= 5;
        BufferedImage out = new BufferedImage(quarter ? h : w, quarter ? w : h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, t, null);
        g.dispose();
        return out;
    }

    // ---------------------------------------------------------------- scaling and encoding

    /** Scales into RGB, or premultiplied ARGB when there is alpha (so transparent pixels do not darken edges). */
    private static BufferedImage scale(BufferedImage source, int width, int height, boolean alpha, Object interpolation) {
        BufferedImage out = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB_PRE : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** PNG stores straight (not premultiplied) alpha. */
    private static BufferedImage straightAlpha(BufferedImage premultiplied) {
        BufferedImage out = new BufferedImage(premultiplied.getWidth(), premultiplied.getHeight(),
                BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.drawImage(premultiplied, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Pixels only: no metadata is passed to the writer, so none is written (JPEG gets a bare JFIF header). */
    private static byte[] encode(BufferedImage image, boolean jpeg, int expectedBytes) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(jpeg ? "jpeg" : "png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, expectedBytes + expectedBytes / 8));
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = null;
            if (jpeg) {
                JPEGImageWriteParam jpegParam = new JPEGImageWriteParam(Locale.ROOT);
                jpegParam.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                jpegParam.setCompressionQuality(JPEG_QUALITY);
                jpegParam.setOptimizeHuffmanTables(true);
                param = jpegParam;
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
