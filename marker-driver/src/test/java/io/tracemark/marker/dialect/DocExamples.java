package io.tracemark.marker.dialect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worked examples of a protocol document in docs/markers: fenced blocks of the given kind,
 * each example a text line ({@code H} or {@code M}, {@code !} when damaged) and its hex below.
 * Reading them checks on the way that text and hex agree byte for byte.
 */
public record DocExamples(List<Example> examples) {

    /** One message as the document shows it. */
    public record Example(boolean fromHost, boolean damaged, String text, byte[] bytes) {
        @Override
        public String toString() {
            return (fromHost ? "H" : "M") + (damaged ? "! " : " ") + text;
        }
    }

    private static final Pattern TEXT = Pattern.compile("([HM])(!?) +(.*)");
    private static final Pattern HEX = Pattern.compile(" {3}([0-9A-F]{2}(?: [0-9A-F]{2})*)");

    public static DocExamples read(String document, String blockKind) throws IOException {
        Path doc = Path.of(System.getProperty("user.dir")).resolve("../docs/markers").resolve(document).normalize();
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<Example> examples = new ArrayList<>();
        boolean inBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.equals("```" + blockKind)) {
                inBlock = true;
            } else if (line.equals("```")) {
                inBlock = false;
            } else if (inBlock) {
                examples.add(example(document, i + 1, line, lines.get(++i)));
            }
        }
        assertFalse(examples.isEmpty(), document + " has no " + blockKind + " examples");
        return new DocExamples(examples);
    }

    private static Example example(String document, int number, String textLine, String hexLine) {
        Matcher text = TEXT.matcher(textLine);
        Matcher hex = HEX.matcher(hexLine);
        assertTrue(text.matches(), document + ":" + number + " is not 'H|M text': " + textLine);
        assertTrue(hex.matches(), document + ":" + (number + 1) + " is not the hex of the line above: " + hexLine);
        byte[] fromText = bytesOf(text.group(3));
        byte[] fromHex = parseHex(hex.group(1));
        assertArrayEquals(fromHex, fromText, document + ":" + number + ": text and hex differ");
        return new Example(text.group(1).equals("H"), !text.group(2).isEmpty(), text.group(3), fromHex);
    }

    private static byte[] bytesOf(String text) {
        String raw = text.replace("<STX>", "\u0002").replace("<ETX>", "\u0003").replace("<CR>", "\r");
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] parseHex(String hex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String pair : hex.split(" ")) {
            out.write(Integer.parseInt(pair, 16));
        }
        return out.toByteArray();
    }
}
