package io.tracemark.trace.code;

import static io.tracemark.trace.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.trace.Api;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.storage.Storage;

/**
 * A registry that moves from key A, the running service's key, to key B, as a restart with a new
 * configuration does: the keyring, allocator and registry are the service's own classes, built for
 * the rotated key set against the real database, so that the running service keeps its key for
 * the other tests.
 */
@QuarkusTest
class SerialKeyRotationTest {

    private static final byte[] KEY_B = HexFormat.of().parseHex("b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf");

    @Inject
    EntityManager em;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    Storage storage;
    @Inject
    TracemarkConfig config;
    @Inject
    MeterRegistry meters;

    private final List<Long> batches = new ArrayList<>();

    /** Key A: the one the service runs with, and has issued every other test's codes under. */
    private byte[] keyA() {
        return SerialKeyring.decode(config.codes().secret().orElseThrow());
    }

    @Test
    void codesOfARetiredKeyStayGenuineAfterRotation() throws Exception {
        long batch = batch();
        List<String> issuedUnderA = allocateThroughTheService(batch, 5);

        SerialKeys rotated = start(KEY_B, keyA());
        List<String> issuedUnderB = allocate(rotated, batch, 5);

        CodeRegistry registry = new CodeRegistry(rotated, config, dataSource);
        for (String serial : concat(issuedUnderA, issuedUnderB)) {
            assertTrue(registry.check(serial).issuedByThisRegistry(), serial + " checks genuine offline");
            assertTrue(registry.check(registry.uri("09506000134352", "L1", serial)).issuedByThisRegistry());
            Code code = QuarkusTransaction.requiringNew().call(() -> registry.find(serial.toLowerCase()).orElseThrow());
            assertEquals(serial, code.serial, "the registry finds the code it issued");
        }
        SerialCodec codecB = rotated.current();
        assertTrue(issuedUnderB.stream().allMatch(serial -> codecB.counterOf(serial).isPresent()),
                "new codes are issued under the newest key");
        assertTrue(issuedUnderA.stream().noneMatch(serial -> codecB.counterOf(serial).isPresent()));
        assertEquals(List.of(fingerprint(keyA()), fingerprint(KEY_B)), issuingKeys(batch));
    }

    @Test
    void forgedSerialsFailUnderEveryKey() throws Exception {
        long batch = batch();
        SerialKeys rotated = start(KEY_B, keyA());
        List<String> issued = allocate(rotated, batch, 3);
        CodeRegistry registry = new CodeRegistry(rotated, config, dataSource);

        String genuine = issued.get(0);
        char last = genuine.charAt(SerialCodec.LENGTH - 1);
        String altered = genuine.substring(0, SerialCodec.LENGTH - 1) + (last == '0' ? '1' : '0');
        for (String forged : List.of(altered, "ABCDEFGHJKMNPQRSTV", "0000000000000000000")) {
            assertFalse(registry.check(forged).issuedByThisRegistry(), forged);
            assertTrue(QuarkusTransaction.requiringNew().call(() -> registry.find(forged)).isEmpty(), forged);
        }
        // Whoever holds a retired key can mint serials that pass its check; the registry still
        // refuses one that stands for a counter another key issued.
        long counterOfB = rotated.current().counterOf(genuine).getAsLong();
        String mintedWithA = new SerialCodec(keyA()).serialOf(counterOfB);
        assertTrue(registry.check(mintedWithA).issuedByThisRegistry());
        assertTrue(QuarkusTransaction.requiringNew().call(() -> registry.find(mintedWithA)).isEmpty());
    }

    @Test
    void aKeySetWithoutAKeyThatIssuedCodesRefusesToStart() throws Exception {
        long batch = batch();
        List<String> issuedUnderA = allocateThroughTheService(batch, 2);
        allocate(start(KEY_B, keyA()), batch, 2);

        IllegalStateException refusal = assertThrows(IllegalStateException.class, () -> start(KEY_B));
        assertTrue(refusal.getMessage().contains(fingerprint(keyA())), refusal.getMessage());
        IllegalStateException withoutB = assertThrows(IllegalStateException.class, () -> start(keyA()));
        assertTrue(withoutB.getMessage().contains(fingerprint(KEY_B)), withoutB.getMessage());
        assertTrue(refusal.getMessage().contains("TRACEMARK_CODES_PREVIOUS_SECRETS"), refusal.getMessage());
        assertFalse(new CodeRegistry(SerialKeyring.keys(List.of(KEY_B)), config, dataSource)
                .check(issuedUnderA.get(0)).issuedByThisRegistry(), "without A, its codes would look forged");
    }

    /** What a start with these keys (newest first) does before it serves. */
    private SerialKeys start(byte[]... secrets) {
        SerialKeys keys = SerialKeyring.keys(List.of(secrets));
        QuarkusTransaction.requiringNew().run(() -> SerialKeyring.pin(em, keys));
        return keys;
    }

    private List<String> allocate(SerialKeys keys, long batch, int count) throws Exception {
        CodeAllocator allocator = new CodeAllocator(dataSource, em, keys, storage, config, meters);
        CodeAllocator.Allocation allocation = QuarkusTransaction.requiringNew()
                .call(() -> allocator.allocate(batch, count, "rotation-test"));
        List<String> serials = new ArrayList<>();
        try (Connection db = PostgresDatabase.connect(); PreparedStatement select = db.prepareStatement(
                "select c.serial from code c join code_allocation a on c.counter >= a.first_counter "
                        + "and c.counter < a.first_counter + a.code_count where a.id = ? order by c.counter")) {
            select.setLong(1, allocation.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    serials.add(rows.getString(1));
                }
            }
        }
        assertEquals(count, serials.size());
        return serials;
    }

    private List<String> allocateThroughTheService(long batch, int count) {
        asAdmin().body(Map.of("count", count)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        return asAdmin().queryParam("size", count).get("/api/batches/" + batch + "/codes").then().statusCode(200)
                .extract().jsonPath().getList("items.serial", String.class);
    }

    private List<String> issuingKeys(long batch) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection db = PostgresDatabase.connect(); PreparedStatement select = db.prepareStatement(
                "select key_fingerprint from code_allocation where batch_id = ? order by first_counter")) {
            select.setLong(1, batch);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
        }
        return keys;
    }

    private long batch() {
        long batch = Api.batch();
        batches.add(batch);
        return batch;
    }

    /** Takes this test's keys out again, so that the service's own key set stays valid for its next start. */
    @AfterEach
    void forgetTheTestKeys() throws Exception {
        try (Connection db = PostgresDatabase.connect()) {
            for (long batch : batches) {
                for (String table : List.of("code", "code_allocation")) {
                    try (PreparedStatement delete = db.prepareStatement("delete from " + table + " where batch_id = ?")) {
                        delete.setLong(1, batch);
                        delete.executeUpdate();
                    }
                }
            }
            try (PreparedStatement delete = db.prepareStatement("delete from serial_key where fingerprint = ?")) {
                delete.setString(1, fingerprint(KEY_B));
                delete.executeUpdate();
            }
        }
        batches.clear();
    }

    private static String fingerprint(byte[] key) {
        return new SerialCodec(key).keyFingerprint();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
