package io.tracemark.marker;

/**
 * One code to be etched: {@code id} names it in every message to and from the marker (the
 * registry's serial), {@code content} is the text the marker writes into the symbol.
 */
public record MarkOrder(String id, String content) {

    public MarkOrder {
        if (id == null || !id.matches("[0-9A-Za-z]{1,32}")) {
            throw new IllegalArgumentException("A mark id is 1 to 32 letters or digits, not '" + id + "'");
        }
        if (content == null || content.isEmpty() || content.length() > 512) {
            throw new IllegalArgumentException("Mark content must be 1 to 512 characters");
        }
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("Mark content must be printable ASCII (character " + i + ")");
            }
        }
    }
}
