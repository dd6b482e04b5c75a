package io.tracemark.trace.epcis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AnyOfValidator;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.Keyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;

import io.tracemark.trace.problem.Problem;

/**
 * The standard's JSON Schema for EPCIS documents and events (EPCIS-JSON-Schema.json, as published
 * by GS1), with the CBV vocabulary it lists.
 */
@ApplicationScoped
public class EpcisSchema {

    static final String RESOURCE = "/epcis/EPCIS-JSON-Schema.json";

    private final JsonSchema schema;
    private final JsonNode definitions;

    public EpcisSchema() {
        this(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, factory -> factory.metaSchema(
                JsonMetaSchema.builder(JsonMetaSchema.getV7()).keyword(new RememberedAnyOf.Kind()).build())));
    }

    /** The schema compiled once by this factory (the standard draft 7 one, in tests that compare). */
    EpcisSchema(JsonSchemaFactory factory) {
        try (InputStream in = EpcisSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the EPCIS JSON Schema is missing from the classpath at " + RESOURCE);
            }
            JsonNode tree = EpcisJson.MAPPER.readTree(in);
            definitions = tree.get("definitions");
            // Draft 7 makes "format" an assertion: timestamps and URIs are checked, not just described.
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_PATH).build();
            schema = factory.getSchema(tree, config);
        } catch (IOException e) {
            throw new UncheckedIOException("the EPCIS JSON Schema cannot be read", e);
        }
    }

    /**
     * What the schema finds wrong with a document or a single event, each named by its JSON path
     * ({@code epcisBody.eventList[2].eventTime}); empty when it is valid.
     */
    public List<Problem.Violation> validate(JsonNode documentOrEvent) {
        Set<ValidationMessage> messages = schema.validate(documentOrEvent);
        Set<String> seen = new LinkedHashSet<>();
        List<Problem.Violation> violations = new ArrayList<>();
        for (ValidationMessage message : messages) {
            String field = field(message.getInstanceLocation().toString());
            String text = message.getMessage();
            // Messages start with the path; the violation names the field on its own.
            int colon = text.indexOf(": ");
            if (colon > 0 && text.startsWith("$")) {
                text = text.substring(colon + 2);
            }
            if (seen.add(field + "\u0000" + text)) {
                violations.add(new Problem.Violation(field, text));
            }
        }
        return violations;
    }

    /** The CBV business steps the standard lists (bare names such as {@code shipping}). */
    public List<String> standardBizSteps() {
        return enumOf("bizStep");
    }

    /** The CBV dispositions the standard lists. */
    public List<String> standardDispositions() {
        return enumOf("disposition");
    }

    private List<String> enumOf(String definition) {
        List<String> values = new ArrayList<>();
        for (JsonNode alternative : definitions.get(definition).get("anyOf")) {
            if (alternative.has("enum")) {
                alternative.get("enum").forEach(value -> values.add(value.asText()));
            }
        }
        return values;
    }

    /**
     * {@code anyOf} as the standard validator checks it, remembering the strings it found valid.
     *
     * <p>Most of the schema's cost per event was {@code anyOf} over strings: every member name of an
     * event is checked against "a standard field, or else a URI" ({@code propertyNames}), and every
     * bizStep and disposition against "a URI, or else a CBV term"; each alternative that fails builds
     * its error messages before the next one passes. A subschema applied to a string sees nothing
     * but that string, so a string once found valid by an anyOf is valid again wherever it stands,
     * and the answer is the same empty set of messages. Strings found invalid are checked again each
     * time, so every message is the standard validator's. At most {@link #REMEMBERED} strings are
     * kept per anyOf.
     */
    static final class RememberedAnyOf extends AnyOfValidator {

        static final int REMEMBERED = 1_000;

        private final Set<String> valid = ConcurrentHashMap.newKeySet();

        RememberedAnyOf(SchemaLocation schemaLocation, JsonNodePath evaluationPath, JsonNode schemaNode,
                JsonSchema parentSchema, ValidationContext validationContext) {
            super(schemaLocation, evaluationPath, schemaNode, parentSchema, validationContext);
        }

        @Override
        public Set<ValidationMessage> validate(ExecutionContext context, JsonNode node, JsonNode rootNode,
                JsonNodePath instanceLocation) {
            // With annotations collected, or next to unevaluated*, every alternative must be evaluated.
            if (!node.isTextual() || !canShortCircuit() || !canShortCircuit(context)) {
                return super.validate(context, node, rootNode, instanceLocation);
            }
            if (valid.contains(node.textValue())) {
                return Collections.emptySet();
            }
            Set<ValidationMessage> messages = super.validate(context, node, rootNode, instanceLocation);
            if (messages.isEmpty() && valid.size() < REMEMBERED) {
                valid.add(node.textValue());
            }
            return messages;
        }

        /** The keyword, in place of the standard anyOf of draft 7. */
        static final class Kind implements Keyword {

            @Override
            public String getValue() {
                return "anyOf";
            }

            @Override
            public JsonValidator newValidator(SchemaLocation schemaLocation, JsonNodePath evaluationPath,
                    JsonNode schemaNode, JsonSchema parentSchema, ValidationContext validationContext) {
                return new RememberedAnyOf(schemaLocation, evaluationPath, schemaNode, parentSchema, validationContext);
            }
        }
    }

    static String field(String jsonPath) {
        if (jsonPath.equals("$")) {
            return "document";
        }
        String field = jsonPath.startsWith("$.") ? jsonPath.substring(2) : jsonPath.substring(1);
        // Keys that are not plain names come out as $['@context']; say them as written.
        return field.replaceAll("\\['([^']*)'\\]", ".$1").replaceAll("^\\.", "");
    }
}
