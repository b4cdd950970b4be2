package com.meridianreview.ingest;

import static com.meridianreview.ingest.ImageFileTest.ascii;
import static com.meridianreview.ingest.ImageFileTest.chunk;
import static com.meridianreview.ingest.ImageFileTest.indexOf;
import static com.meridianreview.ingest.ImageFileTest.jpeg;
import static com.meridianreview.ingest.ImageFileTest.photo;
import static com.meridianreview.ingest.ImageFileTest.png;
import static com.meridianreview.ingest.ImageFileTest.pngWithHeader;
import static com.meridianreview.ingest.ImageFileTest.withExif;
import static com.meridianreview.ingest.ImageFileTest.withTransparentHalf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class RenditionsTest {

    private static final Pattern JPEG_NAME = Pattern.compile("quiet-channels-(\\d+)w-([0-9a-f]{10})\\.jpg");

    // ---------------------------------------------------------------- what is published

    @Test
    void thePublishedJpegHasNoExifOrGpsAndKeepsItsSize() throws InvalidImageException {
        byte[] upload = withExif(jpeg(photo(1200, 800, 1)), 0);
        assertTrue(contains(upload, "Exif") && contains(upload, "WGS-84"), "the upload carries EXIF and GPS");

        Renditions.Result result = render(upload, "quiet-channels.jpg");

        Renditions.Rendition published = result.published();
        assertEquals("quiet-channels.jpg", published.name());
        assertEquals("image/jpeg", published.contentType());
        assertEquals(List.of(1200, 800), List.of(published.width(), published.height()));
        assertFalse(contains(published.bytes(), "Exif"), "no EXIF in what is published");
        assertFalse(contains(published.bytes(), "WGS-84"), "no GPS in what is published");
        assertEquals(List.of(1200, 800), decodedSize(published.bytes()));
        for (Renditions.Rendition r : result.renditions()) {
            assertFalse(contains(r.bytes(), "Exif"), r.name());
            assertFalse(contains(r.bytes(), "WGS-84"), r.name());
        }
    }

    @Test
    void anEmbeddedColourProfileIsAppliedAndNeitherItNorCommentsArePublished() throws InvalidImageException {
        // Pixels stored in linear RGB with that profile embedded: a reader must see them converted to sRGB.
        BufferedImage grey = new BufferedImage(700, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grey.createGraphics();
        g.setColor(new Color(50, 50, 50));
        g.fillRect(0, 0, 700, 400);
        g.dispose();
        byte[] upload = withSegment(withSegment(jpeg(grey), 0xFE, ascii("Shot by J. Doe at 12 Elm St")),
                0xE2, concat(ascii("ICC_PROFILE\0\1\1"), ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData()));
        assertTrue(contains(upload, "ICC_PROFILE") && contains(upload, "Elm St"), "the upload carries a profile and a comment");

        Renditions.Result result = render(upload, "profiled.jpg");

        for (Renditions.Rendition r : concat(result.published(), result.renditions())) {
            assertFalse(contains(r.bytes(), "ICC_PROFILE"), r.name());
            assertFalse(contains(r.bytes(), "Elm St"), r.name());
            int red = new Color(decode(r.bytes()).getRGB(100, 100)).getRed();
            assertEquals(122, red, 3, "linear 50 is sRGB 122 in " + r.name());
        }
    }

    @Test
    void thePublishedPngHasNoTextOrExifChunks() throws InvalidImageException {
        byte[] image = png(photo(700, 300, 11));
        int afterHeader = 8 + 25;
        byte[] exifApp1 = withExif(new byte[] {(byte) 0xFF, (byte) 0xD8}, 0);
        byte[] tiff = Arrays.copyOfRange(exifApp1, 2 + 4 + 6, exifApp1.length); // after SOI, marker, length, "Exif\0\0"
        byte[] upload = concat(Arrays.copyOf(image, afterHeader),
                chunk("tEXt", ascii("Author\0J. Doe, 12 Elm St")),
                chunk("eXIf", tiff),
                Arrays.copyOfRange(image, afterHeader, image.length));
        assertTrue(contains(upload, "Elm St") && contains(upload, "WGS-84"), "the upload carries text and GPS");

        Renditions.Result result = render(upload, "plain.png");

        for (Renditions.Rendition r : concat(result.published(), result.renditions())) {
            assertFalse(contains(r.bytes(), "tEXt") || contains(r.bytes(), "eXIf"), r.name());
            assertFalse(contains(r.bytes(), "Elm St") || contains(r.bytes(), "WGS-84"), r.name());
        }
        assertEquals(List.of(700, 300), decodedSize(result.published().bytes()));
    }

    @Test
    void a1200PixelWidePhotoGets320640And1024WideRenditionsWithItsAspect() throws InvalidImageException {
        Renditions.Result result = render(jpeg(photo(1200, 800, 2)), "quiet-channels.jpg");

        assertEquals(List.of(320, 640, 1024), result.renditions().stream().map(Renditions.Rendition::width).toList());
        for (Renditions.Rendition r : result.renditions()) {
            Matcher name = JPEG_NAME.matcher(r.name());
            assertTrue(name.matches(), r.name());
            assertEquals(r.width(), Integer.parseInt(name.group(1)));
            assertEquals("image/jpeg", r.contentType());
            assertEquals(List.of(r.width(), r.height()), decodedSize(r.bytes()), r.name());
            assertEquals(r.width() * 800.0 / 1200, r.height(), 1.0, "aspect kept for " + r.name());
        }
    }

    @Test
    void aPhotoNarrowerThanEveryWidthGetsNoRenditions() throws InvalidImageException {
        Renditions.Result result = render(jpeg(photo(300, 200, 3)), "small.jpg");

        assertEquals(List.of(), result.renditions());
        assertEquals(List.of(300, 200), decodedSize(result.published().bytes()));
    }

    @Test
    void aWidthEqualToTheOriginalIsNotMadeAgain() throws InvalidImageException {
        Renditions.Result result = render(jpeg(photo(1024, 768, 4)), "exact.jpg");

        assertEquals(List.of(320, 640), result.renditions().stream().map(Renditions.Rendition::width).toList());
    }

    @Test
    void aLargePhotoGetsEveryWidth() throws InvalidImageException {
        Renditions.Result result = render(jpeg(photo(4000, 3000, 5)), "large.jpg");

        assertEquals(Renditions.WIDTHS, result.renditions().stream().map(Renditions.Rendition::width).toList());
        assertEquals(List.of(1600, 1200), decodedSize(result.renditions().get(3).bytes()));
    }

    @Test
    void namesFollowTheContentAndNotTheUpload() throws InvalidImageException {
        List<String> first = names(render(jpeg(photo(1200, 800, 6)), "quiet-channels.jpg"));
        List<String> again = names(render(jpeg(photo(1200, 800, 6)), "quiet-channels.jpg"));
        List<String> other = names(render(jpeg(photo(1200, 800, 7)), "quiet-channels.jpg"));

        assertEquals(first, again, "the same picture gets the same names, so a replayed upload rewrites nothing new");
        for (int i = 0; i < first.size(); i++) {
            assertNotEquals(first.get(i), other.get(i));
        }
    }

    @Test
    void aPngStaysAPngAndKeepsItsTransparency() throws InvalidImageException {
        byte[] upload = png(withTransparentHalf(photo(800, 600, 8)));
        ImageFile file = ImageFile.inspect(upload);

        Renditions.Result result = Renditions.render(upload, file, "chart.png", "chart");

        assertEquals("image/png", result.published().contentType());
        BufferedImage published = decode(result.published().bytes());
        assertEquals(List.of(800, 600), List.of(published.getWidth(), published.getHeight()));
        assertEquals(0, published.getRGB(10, 300) >>> 24, "the transparent half stays transparent");
        assertEquals(0xFF, published.getRGB(790, 300) >>> 24, "the opaque half stays opaque");

        assertEquals(List.of(320, 640), result.renditions().stream().map(Renditions.Rendition::width).toList());
        for (Renditions.Rendition r : result.renditions()) {
            assertTrue(r.name().matches("chart-" + r.width() + "w-[0-9a-f]{10}\\.png"), r.name());
            assertEquals("image/png", r.contentType());
            BufferedImage image = decode(r.bytes());
            assertTrue(image.getColorModel().hasAlpha(), r.name());
            assertEquals(0, image.getRGB(5, r.height() / 2) >>> 24, r.name());
            assertEquals(0xFF, image.getRGB(r.width() - 5, r.height() / 2) >>> 24, r.name());
        }
    }

    @Test
    void aGreyscaleJpegIsPublishedAsRgb() throws InvalidImageException {
        BufferedImage grey = new BufferedImage(700, 400, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.drawImage(photo(700, 400, 9), 0, 0, null);
        g.dispose();

        Renditions.Result result = render(jpeg(grey), "grey.jpg");

        assertEquals(3, decode(result.published().bytes()).getColorModel().getNumComponents());
        assertEquals(3, decode(result.renditions().get(0).bytes()).getColorModel().getNumComponents());
    }

    @Test
    void greyKeepsItsBrightness() throws InvalidImageException {
        // Java2D takes PNG grey for linear light; a mid grey must not come out light grey.
        BufferedImage grey = new BufferedImage(700, 400, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 700; x++) {
                grey.getRaster().setSample(x, y, 0, 128);
            }
        }
        ColorModel greyAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        BufferedImage translucentGrey = new BufferedImage(greyAlpha, greyAlpha.createCompatibleWritableRaster(700, 400),
                false, null);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 700; x++) {
                translucentGrey.getRaster().setPixel(x, y, new int[] {128, 255});
            }
        }

        for (Renditions.Result result : List.of(render(jpeg(grey), "grey.jpg"), render(png(grey), "grey.png"),
                render(png(translucentGrey), "translucent.png"))) {
            for (Renditions.Rendition r : concat(result.published(), result.renditions())) {
                int sample = decode(r.bytes()).getRaster().getSample(100, 100, 0);
                assertEquals(128, sample, 2, r.name());
            }
        }
    }

    @Test
    void aCmykJpegIsPublishedAsRgbWithItsColours() throws InvalidImageException {
        // Photoshop's CMYK JPEG: an Adobe marker and inverted values (255 is no ink). Left half cyan, right half yellow.
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 400, 200, 4, null);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 400; x++) {
                cmyk.setPixel(x, y, x < 200 ? new int[] {0, 255, 255, 255} : new int[] {255, 255, 0, 255});
            }
        }
        byte[] upload = withAdobeMarker(jpegOfRaster(cmyk));

        Renditions.Result result = render(upload, "press.jpg");

        BufferedImage published = decode(result.published().bytes());
        assertEquals(3, published.getColorModel().getNumComponents());
        assertClose(Color.CYAN, new Color(published.getRGB(100, 100)));
        assertClose(Color.YELLOW, new Color(published.getRGB(300, 100)));
        assertClose(Color.CYAN, new Color(decode(result.renditions().get(0).bytes()).getRGB(80, 80)));
    }

    @Test
    void aQuarterTurnInExifIsAppliedToThePixels() throws InvalidImageException {
        // Stored 200 × 100, red on the left; a quarter turn clockwise puts red on top.
        BufferedImage stored = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = stored.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 100, 100);
        g.setColor(Color.BLUE);
        g.fillRect(100, 0, 100, 100);
        g.dispose();
        byte[] upload = withExif(jpeg(stored), 6);

        Renditions.Result result = render(upload, "turned.jpg");

        BufferedImage published = decode(result.published().bytes());
        assertEquals(List.of(100, 200), List.of(published.getWidth(), published.getHeight()));
        assertClose(Color.RED, new Color(published.getRGB(50, 40)));
        assertClose(Color.BLUE, new Color(published.getRGB(50, 160)));
    }

    // ---------------------------------------------------------------- what decoding refuses

    @Test
    void aJpegWithItsEndMarkerButHalfItsDataIsRefusedWhenDecoded() throws InvalidImageException {
        byte[] photo = jpeg(photo(800, 600, 10));
        byte[] cut = Arrays.copyOf(photo, photo.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        ImageFile file = ImageFile.inspect(cut); // the structure looks whole

        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> Renditions.render(cut, file, "cut.jpg", "cut"));

        assertEquals(List.of("the JPEG is damaged (its pixels cannot be decoded, perhaps because the upload was cut"
                + " off): export it again and upload the new file"), e.problems());
    }

    @Test
    void aPngWhoseCompressedDataIsDamagedIsRefusedWhenDecoded() throws InvalidImageException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = Arrays.copyOf(pngWithHeader(300, 200), 8 + 25);
        out.writeBytes(header);
        byte[] garbage = "this is not a zlib stream at all".getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(chunk("IDAT", garbage)); // a valid checksum over invalid data
        out.writeBytes(chunk("IEND", new byte[0]));
        byte[] upload = out.toByteArray();
        ImageFile file = ImageFile.inspect(upload);

        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> Renditions.render(upload, file, "bad.png", "bad"));

        assertTrue(e.problems().get(0).startsWith("the PNG is damaged"), e.problems().toString());
    }

    @Test
    void aBombIsRefusedByTheDecoderHeaderEvenWhenTheCallerSkipsInspect() {
        // A caller passing a wrong ImageFile does not get 40 GB decoded: the reader's header is checked first.
        byte[] bomb = pngWithHeader(100_000, 100_000);

        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> Renditions.render(bomb, new ImageFile("png", "image/png", 100, 100), "bomb.png", "bomb"));

        assertTrue(e.problems().get(0).contains("100,000 × 100,000 pixels"), e.problems().toString());
    }

    // ---------------------------------------------------------------- helpers

    private static Renditions.Result render(byte[] upload, String name) throws InvalidImageException {
        String stem = name.substring(0, name.lastIndexOf('.'));
        return Renditions.render(upload, ImageFile.inspect(upload), name, stem);
    }

    private static List<String> names(Renditions.Result result) {
        return result.renditions().stream().map(Renditions.Rendition::name).toList();
    }

    private static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertTrue(image != null, "decodable");
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Integer> decodedSize(byte[] bytes) {
        BufferedImage image = decode(bytes);
        return List.of(image.getWidth(), image.getHeight());
    }

    private static boolean contains(byte[] haystack, String needle) {
        return indexOf(haystack, needle.getBytes(StandardCharsets.US_ASCII)) >= 0;
    }

    private static void assertClose(Color expected, Color actual) {
        int distance = Math.abs(expected.getRed() - actual.getRed()) + Math.abs(expected.getGreen() - actual.getGreen())
                + Math.abs(expected.getBlue() - actual.getBlue());
        assertTrue(distance < 40, "expected about " + expected + " but got " + actual);
    }

    private static byte[] jpegOfRaster(Raster raster) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Inserts a marker segment with {@code data} after the start marker. */
    private static byte[] withSegment(byte[] jpeg, int marker, byte[] data) {
        int length = data.length + 2;
        return concat(Arrays.copyOf(jpeg, 2), new byte[] {(byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length},
                data, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static List<Renditions.Rendition> concat(Renditions.Rendition first, List<Renditions.Rendition> rest) {
        List<Renditions.Rendition> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /** Inserts Adobe's APP14 segment (transform 0: CMYK stored as is) after the start marker. */
    private static byte[] withAdobeMarker(byte[] jpeg) {
        byte[] segment = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(segment);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
