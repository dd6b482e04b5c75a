package io.tracemark.trace.symbol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.Result;

/**
 * Every symbol is read back by ZXing and by an independent decoder from Debian: zbarimg for QR,
 * dmtxread for Data Matrix; SVG is rasterized by rsvg-convert first.
 */
class SymbolRendererTest {

    private static final String URI = "https://id.example.com/01/09506000134352/21/HVBP90002406MCC9MN";
    private static final String GTIN = "09506000134352";
    private static final String SERIAL = "HVBP90002406MCC9MN";
    private static final char GS = 29;

    private final SymbolRenderer renderer = new SymbolRenderer();

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(QrErrorCorrection.class)
    void qrCodesAtEveryErrorCorrectionLevelDecodeToTheUri(QrErrorCorrection level) throws Exception {
        byte[] png = renderer.renderUri(URI, new SymbolSpec(SymbolType.QR, SymbolFormat.PNG, 300, level));
        assertEquals(URI, RenderedSymbol.decode(png).getText());
        assertEquals(URI, zbar(write("qr.png", png)));
    }

    @Test
    void qrCodesAsSvgAreVectorAndDecode() throws Exception {
        byte[] svg = renderer.renderUri(URI, new SymbolSpec(SymbolType.QR, SymbolFormat.SVG, 400, QrErrorCorrection.Q));
        Document document = xml(svg);
        assertEquals(1, document.getElementsByTagName("path").getLength());
        assertEquals(0, document.getElementsByTagName("image").getLength(), "no raster inside");
        Path png = rasterize(write("qr.svg", svg));
        assertEquals(URI, RenderedSymbol.decode(Files.readAllBytes(png)).getText());
        assertEquals(URI, zbar(png));
    }

    @Test
    void gs1DataMatrixCarriesTheElementStringWithFnc1() throws Exception {
        byte[] png = renderer.renderGs1(GTIN, SERIAL, new SymbolSpec(SymbolType.DATAMATRIX, SymbolFormat.PNG, 200, null));
        Result result = RenderedSymbol.decode(png);
        assertEquals(BarcodeFormat.DATA_MATRIX, result.getBarcodeFormat());
        assertEquals("01" + GTIN + "21" + SERIAL, result.getText().replace(String.valueOf(GS), ""));
        assertEquals("]d2", result.getResultMetadata().get(com.google.zxing.ResultMetadataType.SYMBOLOGY_IDENTIFIER),
                "GS1 Data Matrix symbology identifier");
        assertEquals("01" + GTIN + "21" + SERIAL, dmtx(write("dm.png", png)).replace(String.valueOf(GS), ""));
    }

    @Test
    void dataMatrixAsSvgAndWithTheUriDecode() throws Exception {
        byte[] svg = renderer.renderGs1(GTIN, SERIAL, new SymbolSpec(SymbolType.DATAMATRIX, SymbolFormat.SVG, 300, null));
        Path png = rasterize(write("dm.svg", svg));
        assertEquals("01" + GTIN + "21" + SERIAL, RenderedSymbol.decode(Files.readAllBytes(png)).getText().replace(String.valueOf(GS), ""));
        assertEquals("01" + GTIN + "21" + SERIAL, dmtx(png).replace(String.valueOf(GS), ""));

        byte[] uri = renderer.renderUri(URI, new SymbolSpec(SymbolType.DATAMATRIX, SymbolFormat.PNG, 400, null));
        assertEquals(URI, RenderedSymbol.decode(uri).getText());
        assertEquals(URI, dmtx(write("dm-uri.png", uri)));
    }

    @Test
    void smallestSizeStillDecodes() throws Exception {
        // A URI needs 41 modules with its quiet zone: 96 px is two pixels a module.
        byte[] qr = renderer.renderUri(URI, new SymbolSpec(SymbolType.QR, SymbolFormat.PNG, 96, QrErrorCorrection.L));
        assertEquals(URI, zbar(write("small.png", qr)));
        assertEquals(URI, RenderedSymbol.decode(qr).getText());
        byte[] dm = renderer.renderGs1(GTIN, SERIAL, new SymbolSpec(SymbolType.DATAMATRIX, SymbolFormat.PNG, 64, null));
        assertEquals("01" + GTIN + "21" + SERIAL, RenderedSymbol.decode(dm).getText().replace(String.valueOf(GS), ""));
    }

    @ParameterizedTest
    @EnumSource(SymbolType.class)
    void keepsTheQuietZoneAndWholePixelModules(SymbolType type) throws Exception {
        SymbolSpec spec = new SymbolSpec(type, SymbolFormat.PNG, 500, QrErrorCorrection.M);
        boolean[][] modules = renderer.modules(URI, spec, false);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(renderer.renderUri(URI, spec)));
        int moduleSize = image.getWidth() / modules[0].length;
        assertEquals(image.getWidth(), moduleSize * modules[0].length, "width is a whole number of modules");
        assertTrue(image.getWidth() <= 500);
        int quiet = type.quietZone() * moduleSize;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                boolean inQuietZone = x < quiet || y < quiet || x >= image.getWidth() - quiet
                        || y >= image.getHeight() - quiet;
                boolean dark = (image.getRGB(x, y) & 0xFFFFFF) == 0;
                if (inQuietZone) {
                    assertFalse(dark, "quiet zone pixel " + x + "," + y);
                }
                assertEquals(modules[y / moduleSize][x / moduleSize], dark, "pixel " + x + "," + y);
            }
        }
        // The symbol touches its quiet zone on every side: nothing was cropped or padded.
        int last = modules.length - type.quietZone() - 1;
        int first = type.quietZone();
        assertTrue(rowHasDark(modules, first) && rowHasDark(modules, last));
    }

    @Test
    void refusesBadSizesAndInputsNamingTheProblem() {
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> new SymbolSpec(SymbolType.QR, SymbolFormat.PNG, 63, null));
        assertTrue(tooSmall.getMessage().contains("64"));
        assertThrows(IllegalArgumentException.class, () -> new SymbolSpec(SymbolType.QR, SymbolFormat.PNG, 4097, null));
        SymbolSpec spec = new SymbolSpec(SymbolType.DATAMATRIX, SymbolFormat.PNG, 200, null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> renderer.renderGs1("9506000134352", SERIAL, spec))
                .getMessage().contains("14 digits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> renderer.renderGs1(GTIN, "bad serial", spec))
                .getMessage().contains("AI 21"));
        assertThrows(IllegalArgumentException.class, () -> renderer.renderUri(" ", spec));
    }

    private static boolean rowHasDark(boolean[][] modules, int row) {
        for (boolean dark : modules[row]) {
            if (dark) {
                return true;
            }
        }
        return false;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(work.resolve(name), bytes);
    }

    private static Document xml(byte[] svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    }

    private Path rasterize(Path svg) throws Exception {
        Path png = work.resolve(svg.getFileName() + ".png");
        run("librsvg2-bin", "rsvg-convert", "-b", "white", "-o", png.toString(), svg.toString());
        return png;
    }

    private static String zbar(Path png) throws Exception {
        return run("zbar-tools", "zbarimg", "--raw", "-q", png.toString()).strip();
    }

    private static String dmtx(Path png) throws Exception {
        return run("dmtx-utils", "dmtxread", "-N", "1", png.toString()).strip();
    }

    /** Runs a Debian tool; a missing tool fails the test and names the package to install. */
    private static String run(String debianPackage, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(command));
        Process process;
        try {
            process = new ProcessBuilder(line).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is missing: apt-get install " + debianPackage, e);
        }
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), command[0] + " timed out");
        assertEquals(0, process.exitValue(), command[0] + " failed: " + err);
        return new String(out, StandardCharsets.UTF_8);
    }
}
