package io.tracemark.marker.dialect.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import io.tracemark.marker.Dialect;

class MqttDialectRegistrationTest {

    @Test
    void stationsFindTheDialectByItsName() {
        assertTrue(ServiceLoader.load(Dialect.class).stream()
                .anyMatch(provider -> provider.get().name().equals("mqtt")));
    }
}
