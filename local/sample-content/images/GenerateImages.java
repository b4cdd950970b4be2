// Draws the abstract sample illustrations (1200x675 JPEG, each under 40 KB) for The Meridian Review sample articles.

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

public class GenerateImages {

    static final int W = 1200;
    static final int H = 675;
    static final int MAX_BYTES = 39_500;

    /** One illustration: output file, drawing style, palette (hex colours) and random seed. */
    record Spec(String file, String style, String[] palette, long seed) {}

    static final Spec[] SPECS = {
        new Spec("quiet-channels.jpg", "blobs", p("0b2545", "13315c", "8da9c4", "eef4ed", "d4a373"), 11),
        new Spec("vienna-annex.jpg", "rings", p("1b1b2f", "2e2e4d", "e43f5a", "f2a365", "ececec"), 12),
        new Spec("sahel-corridor.jpg", "stripes", p("7f4f24", "b08968", "e6ccb2", "ddb892", "582f0e"), 13),
        new Spec("baltic-grid.jpg", "grid", p("003049", "0a4d68", "88c0d0", "e0fbfc", "ffd166"), 14),
        new Spec("sanctions-exit.jpg", "triangles", p("2b2d42", "8d99ae", "edf2f4", "ef233c", "d90429"), 15),
        new Spec("mekong-data.jpg", "rivers", p("073b3a", "0b6e4f", "08a045", "6bbf59", "ddb771"), 16),
        new Spec("strait-hotline.jpg", "rings", p("03071e", "370617", "6a040f", "dc2f02", "ffba08"), 17),
        new Spec("lithium-triangle.jpg", "triangles", p("e9ecef", "adb5bd", "6c757d", "3a86ff", "212529"), 18),
        new Spec("andean-observers.jpg", "blobs", p("3d405b", "81b29a", "f2cc8f", "e07a5f", "f4f1de"), 19),
        new Spec("week-in-review.jpg", "grid", p("264653", "2a9d8f", "e9c46a", "f4a261", "e76f51"), 20),
        new Spec("mediation-budget.jpg", "stripes", p("005f73", "0a9396", "94d2bd", "e9d8a6", "ee9b00"), 21),
        new Spec("carbon-levy.jpg", "blobs", p("1a1423", "372549", "774c60", "b75d69", "eacdc2"), 22),
        new Spec("carbon-levy-chart.jpg", "bars", p("f8f9fa", "dee2e6", "495057", "2a9d8f", "e76f51"), 23),
        new Spec("red-sea-insurance.jpg", "rivers", p("10002b", "240046", "3c096c", "5a189a", "ff9e00"), 24),
        new Spec("grain-corridor.jpg", "stripes", p("fefae0", "e9edc9", "ccd5ae", "d4a373", "606c38"), 25),
        new Spec("missile-moratorium.jpg", "triangles", p("0d1b2a", "1b263b", "415a77", "778da9", "e0e1dd"), 26),
        new Spec("horn-ports.jpg", "grid", p("582f0e", "7f5539", "a68a64", "b6ad90", "c2c5aa"), 27),
    };

    static String[] p(String... hex) {
        return hex;
    }

    static Color c(String hex) {
        return new Color(Integer.parseInt(hex, 16));
    }

    static Color alpha(Color col, int a) {
        return new Color(col.getRed(), col.getGreen(), col.getBlue(), a);
    }

    public static void main(String[] args) throws IOException {
        File dir = args.length > 0 ? new File(args[0]) : new File(".");
        dir.mkdirs();
        for (Spec s : SPECS) {
            BufferedImage img = draw(s);
            byte[] jpeg = encodeUnderLimit(img);
            File out = new File(dir, s.file());
            Files.write(out.toPath(), jpeg);
            System.out.printf("%-26s %-10s %6d bytes%n", s.file(), s.style(), jpeg.length);
        }
    }

    static BufferedImage draw(Spec s) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        Random r = new Random(s.seed());
        Color[] pal = new Color[s.palette().length];
        for (int i = 0; i < pal.length; i++) {
            pal[i] = c(s.palette()[i]);
        }
        background(g, pal, r);
        switch (s.style()) {
            case "blobs" -> blobs(g, pal, r);
            case "rings" -> rings(g, pal, r);
            case "stripes" -> stripes(g, pal, r);
            case "grid" -> grid(g, pal, r);
            case "triangles" -> triangles(g, pal, r);
            case "rivers" -> rivers(g, pal, r);
            case "bars" -> bars(g, pal, r);
            default -> throw new IllegalArgumentException("unknown style " + s.style());
        }
        g.dispose();
        return img;
    }

    static void background(Graphics2D g, Color[] pal, Random r) {
        float x1 = r.nextFloat() * W, y1 = 0, x2 = r.nextFloat() * W, y2 = H;
        g.setPaint(new GradientPaint(x1, y1, pal[0], x2, y2, pal[1]));
        g.fillRect(0, 0, W, H);
    }

    /** A closed, wobbly outline around (cx, cy): a stylised landmass. */
    static Path2D blob(double cx, double cy, double radius, Random r) {
        int harmonics = 5;
        double[] amp = new double[harmonics];
        double[] phase = new double[harmonics];
        for (int k = 0; k < harmonics; k++) {
            amp[k] = radius * (0.22 / (k + 1)) * (0.5 + r.nextDouble());
            phase[k] = r.nextDouble() * Math.PI * 2;
        }
        double stretch = 0.6 + r.nextDouble() * 0.8;
        Path2D path = new Path2D.Double();
        int steps = 180;
        for (int i = 0; i <= steps; i++) {
            double t = 2 * Math.PI * i / steps;
            double rad = radius;
            for (int k = 0; k < harmonics; k++) {
                rad += amp[k] * Math.sin((k + 2) * t + phase[k]);
            }
            double x = cx + rad * Math.cos(t) * (1 + stretch) / 1.6;
            double y = cy + rad * Math.sin(t) * (2.2 - stretch) / 1.6;
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        path.closePath();
        return path;
    }

    static void blobs(Graphics2D g, Color[] pal, Random r) {
        int n = 4 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            double cx = 100 + r.nextDouble() * (W - 200);
            double cy = 80 + r.nextDouble() * (H - 160);
            double rad = 90 + r.nextDouble() * 170;
            Color col = pal[2 + r.nextInt(pal.length - 2)];
            g.setColor(alpha(col, 150));
            g.fill(blob(cx, cy, rad, new Random(r.nextLong())));
            g.setStroke(new BasicStroke(2f));
            g.setColor(alpha(pal[3], 110));
            long contourSeed = r.nextLong();
            for (int k = 1; k <= 2; k++) {
                g.draw(blob(cx, cy, rad + k * 18, new Random(contourSeed)));
            }
        }
        // A few "capital city" markers.
        for (int i = 0; i < 5; i++) {
            double x = r.nextDouble() * W, y = r.nextDouble() * H;
            g.setColor(pal[4]);
            g.fill(new Ellipse2D.Double(x - 7, y - 7, 14, 14));
            g.setColor(alpha(pal[4], 90));
            g.setStroke(new BasicStroke(2f));
            g.draw(new Ellipse2D.Double(x - 18, y - 18, 36, 36));
        }
    }

    static void rings(Graphics2D g, Color[] pal, Random r) {
        double cx = W * (0.25 + r.nextDouble() * 0.5);
        double cy = H * (0.3 + r.nextDouble() * 0.4);
        g.setPaint(new RadialGradientPaint(new Point2D.Double(cx, cy), 420f, new float[] {0f, 1f},
                new Color[] {alpha(pal[3], 170), alpha(pal[1], 0)}));
        g.fillRect(0, 0, W, H);
        for (int i = 1; i <= 14; i++) {
            double rad = i * 48;
            g.setStroke(new BasicStroke(i % 3 == 0 ? 5f : 1.6f));
            g.setColor(alpha(pal[2 + (i % (pal.length - 2))], 200 - i * 10));
            double start = r.nextDouble() * 360;
            double extent = 120 + r.nextDouble() * 200;
            g.draw(new java.awt.geom.Arc2D.Double(cx - rad, cy - rad, rad * 2, rad * 2, start, extent,
                    java.awt.geom.Arc2D.OPEN));
        }
        for (int i = 0; i < 24; i++) {
            double ang = r.nextDouble() * Math.PI * 2;
            double dist = 60 + r.nextDouble() * 600;
            double x = cx + Math.cos(ang) * dist, y = cy + Math.sin(ang) * dist;
            double d = 6 + r.nextDouble() * 14;
            g.setColor(alpha(pal[4], 210));
            g.fill(new Ellipse2D.Double(x - d / 2, y - d / 2, d, d));
        }
    }

    static void stripes(Graphics2D g, Color[] pal, Random r) {
        double angle = Math.toRadians(-25 + r.nextDouble() * 50);
        Graphics2D g2 = (Graphics2D) g.create();
        g2.rotate(angle, W / 2.0, H / 2.0);
        int x = -600;
        int i = 0;
        while (x < W + 600) {
            int w = 40 + r.nextInt(140);
            g2.setColor(alpha(pal[(i++ % (pal.length - 1)) + 1], 120 + r.nextInt(100)));
            g2.fillRect(x, -600, w, H + 1200);
            x += w + r.nextInt(40);
        }
        g2.dispose();
        double d = 260 + r.nextDouble() * 160;
        double cx = W * (0.55 + r.nextDouble() * 0.3), cy = H * (0.35 + r.nextDouble() * 0.3);
        g.setColor(alpha(pal[0], 225));
        g.fill(new Ellipse2D.Double(cx - d / 2, cy - d / 2, d, d));
        g.setColor(alpha(pal[3], 235));
        g.setStroke(new BasicStroke(6f));
        g.draw(new Ellipse2D.Double(cx - d / 2 - 22, cy - d / 2 - 22, d + 44, d + 44));
    }

    static void grid(Graphics2D g, Color[] pal, Random r) {
        g.setColor(alpha(pal[2], 140));
        g.fill(blob(W * 0.35, H * 0.55, 230, new Random(r.nextLong())));
        g.setColor(alpha(pal[3], 120));
        g.fill(blob(W * 0.72, H * 0.4, 180, new Random(r.nextLong())));
        g.setStroke(new BasicStroke(1.4f));
        g.setColor(alpha(pal[3], 150));
        double bulge = 80 + r.nextDouble() * 80;
        for (int i = 0; i <= 12; i++) {
            double x = i * W / 12.0;
            Path2D m = new Path2D.Double();
            m.moveTo(x, 0);
            m.quadTo(x + (x - W / 2.0) / (W / 2.0) * bulge, H / 2.0, x, H);
            g.draw(m);
        }
        for (int j = 0; j <= 7; j++) {
            double y = j * H / 7.0;
            Path2D p = new Path2D.Double();
            p.moveTo(0, y);
            p.quadTo(W / 2.0, y + (y - H / 2.0) / (H / 2.0) * bulge * 0.6, W, y);
            g.draw(p);
        }
        // Route lines between points.
        g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                new float[] {14f, 10f}, 0f));
        g.setColor(pal[4]);
        double px = r.nextDouble() * W * 0.3, py = r.nextDouble() * H;
        for (int k = 0; k < 4; k++) {
            double nx = px + 150 + r.nextDouble() * 250, ny = 60 + r.nextDouble() * (H - 120);
            Path2D route = new Path2D.Double();
            route.moveTo(px, py);
            route.quadTo((px + nx) / 2, Math.min(py, ny) - 90, nx, ny);
            g.draw(route);
            g.fill(new Ellipse2D.Double(nx - 9, ny - 9, 18, 18));
            px = nx;
            py = ny;
        }
    }

    static Color mix(Color a, Color b, double t) {
        t = Math.max(0, Math.min(1, t));
        return new Color((int) (a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    static void triangles(Graphics2D g, Color[] pal, Random r) {
        int cols = 9, rows = 6;
        double cw = (double) W / cols, ch = (double) H / rows;
        double[][] xs = new double[rows + 1][cols + 1];
        double[][] ys = new double[rows + 1][cols + 1];
        for (int j = 0; j <= rows; j++) {
            for (int i = 0; i <= cols; i++) {
                boolean edgeX = i == 0 || i == cols, edgeY = j == 0 || j == rows;
                xs[j][i] = i * cw + (edgeX ? 0 : (r.nextDouble() - 0.5) * cw * 0.7);
                ys[j][i] = j * ch + (edgeY ? 0 : (r.nextDouble() - 0.5) * ch * 0.7);
            }
        }
        double fx = r.nextDouble() * W, fy = r.nextDouble() * H;
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < cols; i++) {
                for (int half = 0; half < 2; half++) {
                    double[] tx, ty;
                    if (half == 0) {
                        tx = new double[] {xs[j][i], xs[j][i + 1], xs[j + 1][i]};
                        ty = new double[] {ys[j][i], ys[j][i + 1], ys[j + 1][i]};
                    } else {
                        tx = new double[] {xs[j][i + 1], xs[j + 1][i + 1], xs[j + 1][i]};
                        ty = new double[] {ys[j][i + 1], ys[j + 1][i + 1], ys[j + 1][i]};
                    }
                    double mx = (tx[0] + tx[1] + tx[2]) / 3, my = (ty[0] + ty[1] + ty[2]) / 3;
                    double dist = Math.hypot(mx - fx, my - fy) / Math.hypot(W, H);
                    Color base = mix(pal[2], pal[0], dist * 1.6 + (r.nextDouble() - 0.5) * 0.15);
                    if (r.nextDouble() < 0.06) {
                        base = pal[3];
                    }
                    Path2D t = new Path2D.Double();
                    t.moveTo(tx[0], ty[0]);
                    t.lineTo(tx[1], ty[1]);
                    t.lineTo(tx[2], ty[2]);
                    t.closePath();
                    g.setColor(base);
                    g.fill(t);
                    g.setColor(alpha(pal[1], 90));
                    g.setStroke(new BasicStroke(1f));
                    g.draw(t);
                }
            }
        }
        g.setColor(alpha(pal[4], 200));
        g.setStroke(new BasicStroke(5f));
        g.draw(new Ellipse2D.Double(fx - 70, fy - 70, 140, 140));
    }

    static void rivers(Graphics2D g, Color[] pal, Random r) {
        for (int b = 0; b < 3; b++) {
            g.setColor(alpha(pal[2 + b % 2], 110));
            g.fill(blob(r.nextDouble() * W, r.nextDouble() * H, 160 + r.nextDouble() * 140, new Random(r.nextLong())));
        }
        for (int k = 0; k < 7; k++) {
            Path2D river = new Path2D.Double();
            double y = r.nextDouble() * H;
            river.moveTo(-20, y);
            double x = -20;
            while (x < W + 40) {
                double nx = x + 120 + r.nextDouble() * 120;
                double ny = y + (r.nextDouble() - 0.5) * 160;
                river.quadTo((x + nx) / 2, y + (r.nextDouble() - 0.5) * 220, nx, ny);
                x = nx;
                y = ny;
            }
            float width = k == 0 ? 14f : 2f + r.nextFloat() * 5f;
            g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(alpha(k == 0 ? pal[4] : pal[3], k == 0 ? 230 : 150));
            g.draw(river);
        }
    }

    static void bars(Graphics2D g, Color[] pal, Random r) {
        g.setComposite(AlphaComposite.SrcOver);
        int n = 8;
        double left = 120, bottom = H - 100, gap = 30;
        double bw = (W - 2 * left - (n - 1) * gap) / n;
        g.setColor(pal[2]);
        g.setStroke(new BasicStroke(3f));
        g.drawLine((int) left - 20, (int) bottom, (int) (W - left + 20), (int) bottom);
        g.setStroke(new BasicStroke(1f));
        g.setColor(alpha(pal[2], 70));
        for (int k = 1; k <= 4; k++) {
            int y = (int) (bottom - k * 110);
            g.drawLine((int) left - 20, y, (int) (W - left + 20), y);
        }
        for (int i = 0; i < n; i++) {
            double h1 = 120 + r.nextDouble() * 300;
            double h2 = h1 * (0.35 + r.nextDouble() * 0.5);
            double x = left + i * (bw + gap);
            g.setColor(pal[3]);
            g.fill(new java.awt.geom.Rectangle2D.Double(x, bottom - h1, bw, h1));
            g.setColor(pal[4]);
            g.fill(new java.awt.geom.Rectangle2D.Double(x, bottom - h2, bw, h2));
        }
    }

    /** Encodes as JPEG, lowering quality until the file fits under MAX_BYTES. */
    static byte[] encodeUnderLimit(BufferedImage img) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        try {
            for (float q = 0.85f; q >= 0.2f; q -= 0.05f) {
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                try (ImageOutputStream ios = ImageIO.createImageOutputStream(bos)) {
                    writer.setOutput(ios);
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionQuality(q);
                    writer.write(null, new IIOImage(img, null, null), param);
                }
                if (bos.size() < MAX_BYTES) {
                    return bos.toByteArray();
                }
            }
        } finally {
            writer.dispose();
        }
        throw new IOException("could not compress image under " + MAX_BYTES + " bytes");
    }
}
