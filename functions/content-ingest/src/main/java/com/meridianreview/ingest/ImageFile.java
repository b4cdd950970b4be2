package com.meridianreview.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * What an uploaded image is, read from its bytes alone: the type from its magic number (never the
 * file name or the declared content type) and the size from its header, without decoding a pixel.
 * Only JPEG and PNG are accepted; anything else, a file whose header claims more pixels than the
 * function can hold (a decompression bomb), or a file that was cut off is refused with sentences
 * an editor can act on.
 *
 * <p>{@code width} and {@code height} are the size a reader sees: for a JPEG whose EXIF orientation
 * turns it a quarter turn (as phone cameras write), they are the stored size swapped, matching
 * what {@link Renditions} publishes.
 *
 * <p>Decoding errors that only show while decoding (a damaged entropy-coded stream that still has
 * its end marker) are caught by {@link Renditions#render}, which throws the same exception.
 */
public record ImageFile(String format, String contentType, int width, int height) {

    /** At most this many pixels (decoded as 4 bytes each, 200 MB): checked before anything is decoded. */
    public static final long MAX_PIXELS = 50_000_000L;
    /** At most this many pixels on either side. */
    public static final int MAX_SIDE = 20_000;
    /** At most this many bytes decoded: 50 megapixels of 8-bit RGBA; only 16-bit PNGs can need more. */
    public static final long MAX_DECODED_BYTES = MAX_PIXELS * 4;
    /**
     * At most this many bytes in the file (a 50-megapixel JPEG is 5 to 25 MB): the upload, its
     * decoded pixels and the re-encoded copy must fit in the function's heap together. A caller that
     * knows the object's size should refuse a larger one before reading it.
     */
    public static final int MAX_BYTES = 50 * 1024 * 1024;

    static final String JPEG = "jpeg";
    static final String PNG = "png";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    public ImageFile {
        if (!JPEG.equals(format) && !PNG.equals(format)) {
            throw new IllegalArgumentException("format must be jpeg or png (got " + format + ")");
        }
    }

    /** Reads the type and size of an upload, or refuses it with the reasons. Reads no pixels. */
    public static ImageFile inspect(byte[] bytes) throws InvalidImageException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException("the file is empty: upload the image again");
        }
        if (bytes.length > MAX_BYTES) {
            throw new InvalidImageException(String.format(Locale.ENGLISH, "the file is %,.1f MB; images may be at most"
                    + " %d MB: save it smaller (a photograph as JPEG) and upload it again",
                    bytes.length / 1048576.0, MAX_BYTES / 1024 / 1024));
        }
        if (startsWith(bytes, 0, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
            return inspectJpeg(bytes);
        }
        if (startsWith(bytes, 0, PNG_SIGNATURE)) {
            return inspectPng(bytes);
        }
        throw new InvalidImageException(notAnImage(bytes));
    }

    // ---------------------------------------------------------------- other types

    private static String notAnImage(byte[] b) {
        if (startsWith(b, 0, "GIF87a") || startsWith(b, 0, "GIF89a")) {
            return "the file is a GIF image, which is not accepted: save it as PNG (or as JPEG if it is"
                    + " a photograph) and upload that";
        }
        if (startsWith(b, 0, "RIFF") && startsWith(b, 8, "WEBP")) {
            return "the file is a WebP image, which is not accepted: save it as JPEG (photographs) or PNG"
                    + " (graphics) and upload that";
        }
        if (startsWith(b, 4, "ftyp")) {
            String brand = ascii(b, 8, 4);
            if (List.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1").contains(brand)) {
                return "the file is a HEIC photo (the iPhone's usual format), which is not accepted: export it"
                        + " as JPEG and upload that";
            }
            if (brand.equals("avif") || brand.equals("avis")) {
                return "the file is an AVIF image, which is not accepted: save it as JPEG or PNG and upload that";
            }
        }
        if (startsWith(b, 0, "II*\0") || startsWith(b, 0, "MM\0*")) {
            return "the file is a TIFF image, which browsers cannot show: save it as JPEG (photographs) or PNG"
                    + " (graphics) and upload that";
        }
        if (startsWith(b, 0, "BM")) {
            return "the file is a BMP image, which is not accepted: save it as PNG and upload that";
        }
        if (startsWith(b, 0, "%PDF-")) {
            return "the file is a PDF document, not an image: export the picture as JPEG or PNG and upload that";
        }
        if (startsWith(b, 0, "PK\3\4") || startsWith(b, 0, "PK\5\6") || startsWith(b, 0, "PK\7\b")) {
            return "the file is a ZIP archive (Word, Excel and similar documents are ZIP files too), not an"
                    + " image: upload each picture on its own as a JPEG or PNG file";
        }
        if (looksLikeText(b)) {
            String head = new String(b, 0, Math.min(b.length, 4096), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            if (head.contains("<svg")) {
                return "the file is an SVG drawing, which is not accepted because it can carry scripts: export it"
                        + " as PNG and upload that";
            }
            return "the file is text, not an image: upload a JPEG or PNG file";
        }
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < Math.min(4, b.length); i++) {
            first.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xFF));
        }
        return "the file is not a JPEG or PNG image (it starts with the bytes " + first
                + "): upload a JPEG or PNG file";
    }

    /** No NUL or other control bytes in the first 512 bytes but tabs, line ends and form feeds. */
    private static boolean looksLikeText(byte[] b) {
        int n = Math.min(b.length, 512);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- JPEG

    private static ImageFile inspectJpeg(byte[] b) throws InvalidImageException {
        JpegLayout layout = JpegLayout.read(b);
        List<String> problems = new ArrayList<>();
        if (layout.damagedAt >= 0) {
            problems.add("the JPEG is damaged (unreadable data at byte " + layout.damagedAt
                    + "): export it again and upload the new file");
        } else if (!layout.sawFrame) {
            problems.add(layout.sawEnd
                    ? "the JPEG is damaged: it has no image in it; export it again and upload the new file"
                    : "the JPEG is incomplete (it stops before its image starts, so the upload was probably cut"
                            + " off): export it again and upload the whole file");
        } else {
            int sof = layout.frameMarker;
            if (sof != 0xC0 && sof != 0xC1 && sof != 0xC2) {
                problems.add("the JPEG uses " + (sof == 0xC3 || sof == 0xC7 || sof == 0xCB || sof == 0xCF ? "lossless"
                        : sof >= 0xC9 ? "arithmetic" : "hierarchical") + " coding, which browsers do not show: save it"
                        + " again as a standard JPEG and upload that");
            } else if (layout.precision != 8) {
                problems.add("the JPEG has " + layout.precision + "-bit samples, which browsers do not show: save it"
                        + " again as a standard 8-bit JPEG and upload that");
            }
            if (layout.components != 1 && layout.components != 3 && layout.components != 4) {
                problems.add("the JPEG has " + layout.components + " colour channels; only greyscale, RGB and CMYK"
                        + " JPEGs are accepted");
            }
            checkSize(layout.width, layout.height, problems);
            if (!layout.sawEnd) {
                problems.add("the JPEG is incomplete (its end marker is missing, so the upload was probably cut"
                        + " off): export it again and upload the whole file");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidImageException(problems);
        }
        boolean quarterTurn = layout.orientation >= 5 && layout.orientation <= 8;
        return new ImageFile(JPEG, "image/jpeg",
                quarterTurn ? layout.height : layout.width, quarterTurn ? layout.width : layout.height);
    }

    /** The EXIF orientation (1 to 8) of a JPEG, 1 when it has none or it is unreadable. */
    static int jpegOrientation(byte[] b) {
        return JpegLayout.read(b).orientation;
    }

    /** What the marker segments of a JPEG say, read without decoding the entropy-coded data. */
    private static final class JpegLayout {
        int frameMarker;
        int precision;
        int width;
        int height;
        int components;
        int orientation = 1;
        boolean sawFrame;
        boolean sawEnd;
        int damagedAt = -1;

        static JpegLayout read(byte[] b) {
            JpegLayout l = new JpegLayout();
            int pos = 2;
            boolean inScan = false;
            while (pos < b.length) {
                if (inScan) {
                    // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte), a restart marker,
                    // fill bytes, or the marker that ends the scan.
                    int ff = indexOfFF(b, pos);
                    if (ff < 0 || ff + 1 >= b.length) {
                        return l;
                    }
                    int next = b[ff + 1] & 0xFF;
                    if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                        pos = ff + 2;
                        continue;
                    }
                    if (next == 0xFF) {
                        pos = ff + 1;
                        continue;
                    }
                    inScan = false;
                    pos = ff;
                }
                if ((b[pos] & 0xFF) != 0xFF) {
                    l.damagedAt = pos;
                    return l;
                }
                while (pos + 1 < b.length && (b[pos + 1] & 0xFF) == 0xFF) {
                    pos++; // fill bytes before a marker
                }
                if (pos + 1 >= b.length) {
                    return l;
                }
                int marker = b[pos + 1] & 0xFF;
                if (marker == 0xD9) {
                    l.sawEnd = true;
                    return l;
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    pos += 2; // markers without a length
                    continue;
                }
                if (marker == 0xD8 || marker == 0x00) {
                    l.damagedAt = pos;
                    return l;
                }
                if (pos + 4 > b.length) {
                    return l;
                }
                int length = u16(b, pos + 2);
                if (length < 2) {
                    l.damagedAt = pos;
                    return l;
                }
                int data = pos + 4;
                int end = pos + 2 + length;
                if (end > b.length) {
                    return l; // cut off inside a segment
                }
                boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                if (frame && !l.sawFrame) {
                    if (length < 8) {
                        l.damagedAt = pos;
                        return l;
                    }
                    l.sawFrame = true;
                    l.frameMarker = marker;
                    l.precision = b[data] & 0xFF;
                    l.height = u16(b, data + 1);
                    l.width = u16(b, data + 3);
                    l.components = b[data + 5] & 0xFF;
                } else if (marker == 0xE1 && l.orientation == 1 && startsWith(b, data, "Exif\0\0")) {
                    l.orientation = exifOrientation(b, data + 6, end);
                } else if (marker == 0xDA) {
                    if (!l.sawFrame) {
                        l.damagedAt = pos;
                        return l;
                    }
                    inScan = true;
                }
                pos = end;
            }
            return l;
        }

        private static int indexOfFF(byte[] b, int from) {
            for (int i = from; i < b.length; i++) {
                if (b[i] == (byte) 0xFF) {
                    return i;
                }
            }
            return -1;
        }

        /** Tag 0x0112 of IFD0 in the TIFF structure at {@code tiff}, bounded by {@code end}; 1 if absent. */
        private static int exifOrientation(byte[] b, int tiff, int end) {
            if (tiff + 8 > end) {
                return 1;
            }
            boolean little;
            if (startsWith(b, tiff, "II")) {
                little = true;
            } else if (startsWith(b, tiff, "MM")) {
                little = false;
            } else {
                return 1;
            }
            long ifd = tiff + u32(b, tiff + 4, little);
            if (ifd < tiff + 8 || ifd + 2 > end) {
                return 1;
            }
            int count = u16(b, (int) ifd, little);
            for (int i = 0; i < count; i++) {
                int entry = (int) ifd + 2 + 12 * i;
                if (entry + 12 > end) {
                    return 1;
                }
                if (u16(b, entry, little) == 0x0112 && u16(b, entry + 2, little) == 3) {
                    int value = u16(b, entry + 8, little);
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
            return 1;
        }
    }

    // ---------------------------------------------------------------- PNG

    private static ImageFile inspectPng(byte[] b) throws InvalidImageException {
        List<String> problems = new ArrayList<>();
        int pos = PNG_SIGNATURE.length;
        if (pos + 8 + 13 + 4 > b.length || u32(b, pos, false) != 13 || !startsWith(b, pos + 4, "IHDR")) {
            throw new InvalidImageException(pos + 8 + 13 + 4 > b.length
                    ? "the PNG is incomplete (it stops before its header, so the upload was probably cut off):"
                            + " export it again and upload the whole file"
                    : "the PNG is damaged: it does not start with its image header; export it again and upload the"
                            + " new file");
        }
        long width = u32(b, pos + 8, false);
        long height = u32(b, pos + 12, false);
        int bitDepth = b[pos + 16] & 0xFF;
        int colourType = b[pos + 17] & 0xFF;
        boolean validDepth = switch (colourType) {
            case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
            case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
        if (!validDepth || b[pos + 18] != 0 || b[pos + 19] != 0 || (b[pos + 20] & 0xFF) > 1) {
            problems.add("the PNG header is invalid (colour type " + colourType + ", bit depth " + bitDepth
                    + "): export it again and upload the new file");
        }
        checkSize(width, height, problems);
        if (problems.isEmpty()) {
            checkDecodedBytes(width, height, bitDepth == 16 ? (colourType == 6 ? 8 : colourType == 2 ? 6 : 4) : 4,
                    problems);
        }

        // Walk the chunks to the end chunk, checking each checksum: nothing is inflated.
        CRC32 crc = new CRC32();
        boolean sawData = false;
        boolean sawEnd = false;
        String damaged = null;
        while (pos + 12 <= b.length) {
            long length = u32(b, pos, false);
            if (length > Integer.MAX_VALUE || pos + 12 + length > b.length) {
                break; // cut off inside this chunk
            }
            String type = ascii(b, pos + 4, 4);
            crc.reset();
            crc.update(b, pos + 4, 4 + (int) length);
            if (crc.getValue() != u32(b, pos + 8 + (int) length, false)) {
                damaged = type.chars().allMatch(Character::isLetter) ? type : "at byte " + pos;
                break;
            }
            if (type.equals("IDAT")) {
                sawData = true;
            } else if (type.equals("IEND")) {
                sawEnd = true;
                break;
            }
            pos += 12 + (int) length;
        }
        if (damaged != null) {
            problems.add("the PNG is damaged (chunk " + damaged + " fails its checksum): export it again and upload"
                    + " the new file");
        } else if (!sawEnd) {
            problems.add("the PNG is incomplete (its end chunk is missing, so the upload was probably cut off):"
                    + " export it again and upload the whole file");
        } else if (!sawData) {
            problems.add("the PNG has no image data: export it again and upload the new file");
        }
        if (!problems.isEmpty()) {
            throw new InvalidImageException(problems);
        }
        return new ImageFile(PNG, "image/png", (int) width, (int) height);
    }

    // ---------------------------------------------------------------- shared

    /** The pixel caps, from the header's numbers: a bomb is refused here, before anything is decoded. */
    static void checkSize(long width, long height, List<String> problems) {
        if (width <= 0 || height <= 0) {
            problems.add("the image header states a size of " + width + " × " + height
                    + " pixels, which is not a picture: export it again and upload the new file");
            return;
        }
        long pixels = width * height;
        if (pixels > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE) {
            problems.add(String.format(Locale.ENGLISH,
                    "the image is %,d × %,d pixels (%s megapixels, about %s of memory once opened); images may have"
                            + " at most %d megapixels and %,d pixels on a side: resize it and upload it again",
                    width, height, megapixels(pixels), bytes(pixels * 4), MAX_PIXELS / 1_000_000, MAX_SIDE));
        }
    }

    /** Within the pixel caps, 16-bit colour can still need more memory than the function has. */
    static void checkDecodedBytes(long width, long height, int bytesPerPixel, List<String> problems) {
        long decoded = width * height * bytesPerPixel;
        if (decoded > MAX_DECODED_BYTES) {
            problems.add(String.format(Locale.ENGLISH, "the image is %,d × %,d pixels with 16-bit colour (%s megapixels,"
                    + " about %s of memory once opened); a 16-bit image may take at most %s: save it with 8-bit colour"
                    + " (browsers show no difference) or smaller and upload it again",
                    width, height, megapixels(width * height), bytes(decoded), bytes(MAX_DECODED_BYTES)));
        }
    }

    private static String megapixels(long pixels) {
        return pixels % 1_000_000 == 0
                ? String.format(Locale.ENGLISH, "%,d", pixels / 1_000_000)
                : String.format(Locale.ENGLISH, "%,.1f", pixels / 1e6);
    }

    private static String bytes(long n) {
        return n >= 1_000_000_000L
                ? String.format(Locale.ENGLISH, "%,d GB", Math.round(n / 1e9))
                : String.format(Locale.ENGLISH, "%,d MB", Math.round(n / 1e6));
    }

    private static boolean startsWith(byte[] b, int offset, byte... prefix) {
        if (offset < 0 || offset + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int offset, String asciiPrefix) {
        return startsWith(b, offset, asciiPrefix.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String ascii(byte[] b, int offset, int length) {
        if (offset + length > b.length) {
            return "";
        }
        return new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static int u16(byte[] b, int i) {
        return u16(b, i, false);
    }

    private static int u16(byte[] b, int i, boolean little) {
        int hi = b[little ? i + 1 : i] & 0xFF;
        int lo = b[little ? i : i + 1] & 0xFF;
        return hi << 8 | lo;
    }

    private static long u32(byte[] b, int i, boolean little) {
        long v = 0;
        for (int k = 0; k < 4; k++) {
            v = v << 8 | (b[little ? i + 3 - k : i + k] & 0xFF);
        }
        return v;
    }
}
