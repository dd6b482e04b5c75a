package io.tracemark.trace.tracing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The text of {@code item_view.steps}: a JSON array of objects with short names ({@link ViewStep}'s
 * JSON names), written and read with Jackson's streaming API because a batch stream reads one per
 * item. A capture rewrites the text of every row it touches, so it is kept short: times as epoch
 * milliseconds (as ISO instants when finer), a business location equal to the read point as {@code 0}. Rows written before
 * (times as ISO instants, every location spelled out) read the same.
 */
final class StepCodec {

    private static final JsonFactory FACTORY = new JsonFactory();
    /** {@code "bl":0}: the business location is the read point, written just before it. */
    private static final int SAME_AS_READ_POINT = 0;

    private StepCodec() {
    }

    static String write(List<ViewStep> steps) {
        StringWriter text = new StringWriter(64 * steps.size() + 2);
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            out.writeStartArray();
            for (ViewStep step : steps) {
                out.writeStartObject();
                out.writeNumberField("r", step.row());
                Instant time = step.time().toInstant();
                if (time.getNano() % 1_000_000 == 0) {
                    out.writeNumberField("t", time.toEpochMilli());
                } else {
                    // Finer than milliseconds (EPCIS allows it): spelled out, so that nothing is lost.
                    out.writeStringField("t", time.toString());
                }
                field(out, "o", step.offset());
                field(out, "s", step.bizStep());
                field(out, "d", step.disposition());
                field(out, "rp", step.readPoint());
                if (step.bizLocation() != null && step.bizLocation().equals(step.readPoint())) {
                    // Most events are read where they happen: the location is written once.
                    out.writeNumberField("bl", SAME_AS_READ_POINT);
                } else {
                    field(out, "bl", step.bizLocation());
                }
                if (step.destinations() != null) {
                    out.writeArrayFieldStart("to");
                    for (List<String> destination : step.destinations()) {
                        out.writeStartArray();
                        out.writeString(destination.get(0));
                        out.writeString(destination.get(1));
                        out.writeEndArray();
                    }
                    out.writeEndArray();
                }
                field(out, "v", step.via());
                field(out, "why", step.reason());
                out.writeEndObject();
            }
            out.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * The text of stored steps followed by more steps, which come after them in ledger order: the
     * stored text is not read, only extended.
     */
    static String append(String stored, List<ViewStep> more) {
        String tail = write(more);
        if (!stored.endsWith("]")) {
            throw new IllegalArgumentException("item_view.steps is not the view's JSON");
        }
        if (more.isEmpty()) {
            return stored;
        }
        if (stored.equals("[]")) {
            return tail;
        }
        return stored.substring(0, stored.length() - 1) + "," + tail.substring(1);
    }

    private static void field(JsonGenerator out, String name, String value) throws IOException {
        if (value != null) {
            out.writeStringField(name, value);
        }
    }

    static List<ViewStep> read(String text) {
        List<ViewStep> steps = new ArrayList<>();
        try (JsonParser in = FACTORY.createParser(text)) {
            expect(in.nextToken(), JsonToken.START_ARRAY);
            while (in.nextToken() == JsonToken.START_OBJECT) {
                steps.add(step(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("item_view.steps is not the view's JSON", e);
        }
        return steps;
    }

    private static ViewStep step(JsonParser in) throws IOException {
        long row = 0;
        OffsetDateTime time = null;
        String offset = null;
        String bizStep = null;
        String disposition = null;
        String readPoint = null;
        String bizLocation = null;
        List<List<String>> destinations = null;
        String via = null;
        String reason = null;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            switch (name) {
                case "r" -> row = in.getLongValue();
                case "t" -> time = OffsetDateTime.ofInstant(in.currentToken() == JsonToken.VALUE_NUMBER_INT
                        ? Instant.ofEpochMilli(in.getLongValue()) : Instant.parse(in.getText()), ZoneOffset.UTC);
                case "o" -> offset = in.getText();
                case "s" -> bizStep = in.getText();
                case "d" -> disposition = in.getText();
                case "rp" -> readPoint = in.getText();
                case "bl" -> bizLocation = in.currentToken() == JsonToken.VALUE_NUMBER_INT ? readPoint : in.getText();
                case "to" -> destinations = destinations(in);
                case "v" -> via = in.getText();
                case "why" -> reason = in.getText();
                default -> in.skipChildren();
            }
        }
        return new ViewStep(row, time, offset, bizStep, disposition, readPoint, bizLocation, destinations, via, reason);
    }

    private static List<List<String>> destinations(JsonParser in) throws IOException {
        List<List<String>> destinations = new ArrayList<>();
        while (in.nextToken() == JsonToken.START_ARRAY) {
            in.nextToken();
            String type = in.getValueAsString();
            in.nextToken();
            String id = in.getValueAsString();
            in.nextToken();
            destinations.add(java.util.Arrays.asList(type, id));
        }
        return destinations;
    }

    private static void expect(JsonToken token, JsonToken wanted) throws IOException {
        if (token != wanted) {
            throw new IOException("expected " + wanted + ", found " + token);
        }
    }
}
