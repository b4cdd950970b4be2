package com.meridianreview.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageFileTest {

    // ---------------------------------------------------------------- what is accepted

    @Test
    void aJpegIsRecognisedWithItsSize() throws InvalidImageException {
        ImageFile file = ImageFile.inspect(jpeg(photo(640, 480, 1)));

        assertEquals(new ImageFile("jpeg", "image/jpeg", 640, 480), file);
    }

    @Test
    void aPngIsRecognisedWithItsSize() throws InvalidImageException {
        ImageFile file = ImageFile.inspect(png(withTransparentHalf(photo(300, 200, 2))));

        assertEquals(new ImageFile("png", "image/png", 300, 200), file);
    }

    @Test
    void aJpegNamedPngIsAJpeg() throws InvalidImageException {
        // An editor's "cover.png" that is really a JPEG: only the bytes are read, so it is a JPEG.
        byte[] coverDotPng = jpeg(photo(120, 80, 3));

        ImageFile file = ImageFile.inspect(coverDotPng);

        assertEquals("jpeg", file.format());
        assertEquals("image/jpeg", file.contentType());
    }

    @Test
    void aPhoneJpegWithExifIsAccepted() throws InvalidImageException {
        ImageFile file = ImageFile.inspect(withExif(jpeg(photo(400, 300, 4)), 0));

        assertEquals(new ImageFile("jpeg", "image/jpeg", 400, 300), file);
    }

    @Test
    void aQuarterTurnInExifGivesTheSizeAReaderSees() throws InvalidImageException {
        ImageFile file = ImageFile.inspect(withExif(jpeg(photo(200, 100, 5)), 6));

        assertEquals(100, file.width());
        assertEquals(200, file.height());
    }

    @Test
    void dataAfterTheJpegEndIsTolerated() throws InvalidImageException {
        // Motion photos append a video after the JPEG's end marker; the picture itself is whole.
        byte[] photo = jpeg(photo(160, 120, 6));
        byte[] withTrailer = Arrays.copyOf(photo, photo.length + 1000);

        assertEquals(160, ImageFile.inspect(withTrailer).width());
    }

    // ---------------------------------------------------------------- decompression bombs

    @Test
    void aPngClaiming100000By100000PixelsIsRefusedFromItsHeader() {
        // 10 gigapixels: about 40 GB once decoded. Only the 13-byte header is read.
        byte[] bomb = pngWithHeader(100_000, 100_000);

        List<String> problems = refused(bomb);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("100,000 × 100,000 pixels"), problems.get(0));
        assertTrue(problems.get(0).contains("about 40 GB"), problems.get(0));
        assertTrue(problems.get(0).contains("at most 50 megapixels"), problems.get(0));
    }

    @Test
    void aJpegClaiming65535By65535PixelsIsRefusedFromItsHeader() {
        byte[] photo = jpeg(photo(64, 48, 7));
        int sof = indexOf(photo, (byte) 0xFF, (byte) 0xC0);
        photo[sof + 5] = (byte) 0xFF; // height
        photo[sof + 6] = (byte) 0xFF;
        photo[sof + 7] = (byte) 0xFF; // width
        photo[sof + 8] = (byte) 0xFF;

        List<String> problems = refused(photo);

        assertTrue(problems.get(0).contains("65,535 × 65,535 pixels"), problems.toString());
    }

    @Test
    void aSideLongerThan20000PixelsIsRefusedEvenWhenThePixelCountIsSmall() {
        List<String> problems = refused(pngWithHeader(30_000, 10));

        assertTrue(problems.get(0).contains("30,000 × 10 pixels"), problems.toString());
        assertTrue(problems.get(0).contains("20,000 pixels on a side"), problems.toString());
    }

    @Test
    void theLargestAllowedSizeIsAccepted() throws InvalidImageException {
        assertEquals(10_000, ImageFile.inspect(pngWithHeader(10_000, 5_000)).width());
    }

    @Test
    void a16BitPngIsHeldToTheSameMemoryAsAn8BitOne() throws InvalidImageException {
        // 40 megapixels is allowed, but at 16 bits a channel RGBA it would take 320 MB decoded.
        List<String> problems = refused(pngWithHeader(8_000, 5_000, 16));

        assertTrue(problems.get(0).contains("8,000 × 5,000 pixels with 16-bit colour"), problems.toString());
        assertTrue(problems.get(0).contains("save it with 8-bit colour"), problems.toString());
        assertEquals(5_000, ImageFile.inspect(pngWithHeader(5_000, 5_000, 16)).width());
    }

    @Test
    void aFileOverTheByteLimitIsRefusedWithoutReadingIt() {
        byte[] huge = new byte[ImageFile.MAX_BYTES + 1];
        huge[0] = (byte) 0xFF;
        huge[1] = (byte) 0xD8;
        huge[2] = (byte) 0xFF;

        assertEquals(List.of("the file is 50.0 MB; images may be at most 50 MB: save it smaller (a photograph as JPEG)"
                + " and upload it again"), refused(huge));
    }

    // ---------------------------------------------------------------- truncated and damaged

    @Test
    void aJpegCutInHalfIsRefused() {
        byte[] photo = jpeg(photo(800, 600, 8));

        List<String> problems = refused(Arrays.copyOf(photo, photo.length / 2));

        assertEquals(List.of("the JPEG is incomplete (its end marker is missing, so the upload was probably cut off):"
                + " export it again and upload the whole file"), problems);
    }

    @Test
    void aJpegCutBeforeItsPixelsIsRefused() {
        List<String> problems = refused(Arrays.copyOf(jpeg(photo(800, 600, 9)), 100));

        assertTrue(problems.get(0).startsWith("the JPEG is incomplete"), problems.toString());
    }

    @Test
    void aPngCutInHalfIsRefused() {
        byte[] image = png(photo(800, 600, 10));

        List<String> problems = refused(Arrays.copyOf(image, image.length / 2));

        assertEquals(List.of("the PNG is incomplete (its end chunk is missing, so the upload was probably cut off):"
                + " export it again and upload the whole file"), problems);
    }

    @Test
    void aPngWithABadChecksumIsRefused() {
        byte[] image = png(photo(200, 100, 11));
        int data = indexOf(image, (byte) 'I', (byte) 'D', (byte) 'A', (byte) 'T') + 20;
        image[data] ^= 0x55;

        List<String> problems = refused(image);

        assertTrue(problems.get(0).contains("chunk IDAT fails its checksum"), problems.toString());
    }

    // ---------------------------------------------------------------- not an image we publish

    @Test
    void anEmptyFileIsRefused() {
        assertEquals(List.of("the file is empty: upload the image again"), refused(new byte[0]));
    }

    @Test
    void anSvgIsRefused() {
        byte[] svg = """
                <?xml version="1.0" encoding="UTF-8"?>
                <svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">
                  <script>alert(document.cookie)</script>
                  <circle cx="50" cy="50" r="40" fill="red"/>
                </svg>
                """.getBytes(StandardCharsets.UTF_8);

        assertEquals(List.of("the file is an SVG drawing, which is not accepted because it can carry scripts:"
                + " export it as PNG and upload that"), refused(svg));
    }

    @Test
    void aZipIsRefused() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("photo.jpg"));
            out.write(jpeg(photo(64, 64, 12)));
            out.closeEntry();
        }

        List<String> problems = refused(zip.toByteArray());

        assertTrue(problems.get(0).startsWith("the file is a ZIP archive"), problems.toString());
        assertTrue(problems.get(0).contains("upload each picture on its own as a JPEG or PNG file"), problems.toString());
    }

    @Test
    void textIsRefused() {
        byte[] markdown = "---\nheadline: \"Quiet Channels\"\n---\nBody.\n".getBytes(StandardCharsets.UTF_8);

        assertEquals(List.of("the file is text, not an image: upload a JPEG or PNG file"), refused(markdown));
    }

    @Test
    void otherImageTypesAndDocumentsAreNamedInTheRefusal() throws IOException {
        ByteArrayOutputStream gif = new ByteArrayOutputStream();
        ImageIO.write(photo(32, 32, 13), "gif", gif);
        byte[] webp = ascii("RIFF\u0024\0\0\0WEBPVP8 \u0018\0\0\0");
        byte[] heic = ascii("\0\0\0\u0018ftypheic\0\0\0\0mif1heic");
        byte[] pdf = ascii("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n");
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        ImageIO.write(photo(32, 32, 14), "tiff", tiff);
        byte[] exe = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0};

        assertTrue(refused(gif.toByteArray()).get(0).startsWith("the file is a GIF image"));
        assertTrue(refused(webp).get(0).startsWith("the file is a WebP image, which is not accepted"));
        assertTrue(refused(heic).get(0).startsWith("the file is a HEIC photo"));
        assertTrue(refused(pdf).get(0).startsWith("the file is a PDF document, not an image"));
        assertTrue(refused(tiff.toByteArray()).get(0).startsWith("the file is a TIFF image"));
        assertEquals(List.of("the file is not a JPEG or PNG image (it starts with the bytes 4D 5A 90 00):"
                + " upload a JPEG or PNG file"), refused(exe));
    }

    // ---------------------------------------------------------------- helpers, shared with RenditionsTest

    static List<String> refused(byte[] bytes) {
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> ImageFile.inspect(bytes));
        assertTrue(!e.problems().isEmpty());
        return e.problems();
    }

    /** A photograph-like picture: a gradient, a few shapes and some grain, different for each seed. */
    static BufferedImage photo(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt(0xFFFFFF)), width, height,
                new Color(random.nextInt(0xFFFFFF))));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(random.nextInt(0xFFFFFF)));
            int size = 1 + random.nextInt(Math.max(1, Math.min(width, height) / 3));
            g.fillOval(random.nextInt(width), random.nextInt(height), size, size);
        }
        g.dispose();
        for (int i = 0; i < width * height / 20; i++) {
            image.setRGB(random.nextInt(width), random.nextInt(height), random.nextInt(0xFFFFFF));
        }
        return image;
    }

    static BufferedImage withTransparentHalf(BufferedImage rgb) {
        BufferedImage argb = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                int alpha = x < rgb.getWidth() / 2 ? 0 : 0xFF;
                argb.setRGB(x, y, alpha << 24 | (rgb.getRGB(x, y) & 0xFFFFFF));
            }
        }
        return argb;
    }

    static byte[] jpeg(BufferedImage image) {
        return write(image, "jpeg");
    }

    static byte[] png(BufferedImage image) {
        return write(image, "png");
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG whose header claims {@code width × height}, with a tiny valid data chunk and its end chunk. */
    static byte[] pngWithHeader(int width, int height) {
        return pngWithHeader(width, height, 8);
    }

    /** The same, RGBA with {@code bitDepth} bits a channel. */
    static byte[] pngWithHeader(int width, int height, int bitDepth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0).array()));
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1024]);
        deflater.finish();
        byte[] zeros = new byte[64];
        int n = deflater.deflate(zeros);
        deflater.end();
        out.writeBytes(chunk("IDAT", Arrays.copyOf(zeros, n)));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** A PNG chunk: length, type, data and the CRC-32 of type and data. */
    static byte[] chunk(String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length)
                .put(type.getBytes(StandardCharsets.US_ASCII)).put(data).putInt((int) crc.getValue()).array();
    }

    /**
     * The JPEG with an APP1 "Exif" segment inserted after its start marker, as phones write it: GPS
     * position (51°30'N, datum "WGS-84") and, unless 0, an orientation.
     */
    static byte[] withExif(byte[] jpeg, int orientation) {
        ByteBuffer t = ByteBuffer.allocate(256); // big-endian TIFF ("MM")
        int entries = orientation > 0 ? 2 : 1;
        int gpsIfd = 8 + 2 + 12 * entries + 4;
        int data = gpsIfd + 2 + 12 * 4 + 4;
        t.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        t.putShort((short) entries);
        if (orientation > 0) {
            t.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        }
        t.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gpsIfd); // GPS IFD pointer
        t.putInt(0);
        t.putShort((short) 4);
        t.putShort((short) 0x0000).putShort((short) 1).putInt(4).put(new byte[] {2, 2, 0, 0}); // GPSVersionID
        t.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0}); // GPSLatitudeRef
        t.putShort((short) 0x0002).putShort((short) 5).putInt(3).putInt(data); // GPSLatitude
        t.putShort((short) 0x0012).putShort((short) 2).putInt(7).putInt(data + 24); // GPSMapDatum
        t.putInt(0);
        t.putInt(51).putInt(1).putInt(30).putInt(1).putInt(2646).putInt(100);
        t.put("WGS-84\0".getBytes(StandardCharsets.US_ASCII));
        byte[] tiff = Arrays.copyOf(t.array(), t.position());

        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + exif.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(exif);
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    static int indexOf(byte[] haystack, byte... needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
