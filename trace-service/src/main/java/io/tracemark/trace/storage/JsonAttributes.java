package io.tracemark.trace.storage;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Free attributes (name to text) kept as a JSON text column, which both PostgreSQL and the
 * embedded database store the same way.
 */
@Converter
public class JsonAttributes implements AttributeConverter<Map<String, String>, String> {

    private static final TypeReference<LinkedHashMap<String, String>> TYPE = new TypeReference<>() {
    };
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String convertToDatabaseColumn(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attributes cannot be written as JSON", e);
        }
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String text) {
        if (text == null || text.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return json.readValue(text, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attributes are not valid JSON", e);
        }
    }
}
