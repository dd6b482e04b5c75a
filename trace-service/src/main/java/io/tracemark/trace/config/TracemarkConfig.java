package io.tracemark.trace.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tracemark's own settings; everything under {@code tracemark.*} in application.properties. */
@ConfigMapping(prefix = "tracemark")
public interface TracemarkConfig {

    /** Folder of the embedded database and of the generated serial key. */
    @WithDefault("data")
    Path dataDir();

    Codes codes();

    Admin admin();

    Symbols symbols();

    Marking marking();

    Mqtt mqtt();

    Epcis epcis();

    Movements movements();

    Secrets secrets();

    interface Codes {
        /** Scheme and host of the GS1 Digital Link resolver printed into every code, e.g. https://id.example.com */
        @WithDefault("https://id.tracemark.local")
        String resolverBaseUrl();

        /** Whether codes carry the lot as {@code /10/{lot}} before the serial. */
        @WithDefault("false")
        boolean includeLot();

        /**
         * The secret from which serials are derived: base64 or hex, at least 16 bytes.
         * Required in production; the embedded default generates one into the data folder.
         */
        Optional<String> secret();

        /**
         * Retired serial keys, comma-separated, in the same form: they issue no new codes but the
         * codes they issued still check as genuine. Every key that issued codes must stay listed.
         */
        Optional<List<String>> previousSecrets();

        /** Largest number of codes one allocation may ask for. */
        @WithDefault("1000000")
        int maxPerAllocation();
    }

    interface Admin {
        /** Password of the first administrator, created at start when no administrator exists. */
        Optional<String> password();

        @WithDefault("admin")
        String username();
    }

    interface Symbols {
        /** QR error-correction level used when a request does not name one: L, M, Q or H. */
        @WithDefault("M")
        String qrErrorCorrection();
    }

    interface Marking {
        /** Longest wait for the camera's image of a marked item before its code is voided. */
        @WithDefault("2s")
        Duration cameraTimeout();

        /** Longest wait for a run's marker to settle its codes when the service shuts down. */
        @WithDefault("15s")
        Duration shutdownTimeout();

        /** How often an open status stream repeats the run's status when nothing changed. */
        @WithDefault("5s")
        Duration heartbeat();

        /**
         * The folder of the trust stores that MQTT markers on ssl:// brokers may name; the service
         * reads no other file for them.
         */
        Path trustStoreDir();
    }

    interface Mqtt {
        /**
         * Whether stations whose MQTT transport names no broker use a broker inside the service.
         * Unset, it is on for the embedded database (the zero-install default) and off otherwise.
         */
        Optional<Boolean> embeddedBroker();

        /**
         * Loopback port of that broker, which starts on first use. Unset, it takes a free port, so
         * that an MQTT broker already on 1883 (as on most line PCs) does not stand in its way.
         */
        Optional<Integer> embeddedBrokerPort();
    }

    interface Epcis {
        /** Most events one capture request may carry; announced as GS1-EPCIS-Capture-Limit. */
        @WithDefault("1000")
        int captureLimit();

        /**
         * Largest capture request body in bytes; announced as GS1-EPCIS-Capture-File-Size-Limit. Keep
         * it below quarkus.http.limits.max-body-size, which cuts larger bodies off without the headers.
         */
        @WithDefault("4194304")
        int captureFileSizeLimit();

        /** Events per page of a query when the client names no perPage. */
        @WithDefault("30")
        int defaultPerPage();

        /** Largest perPage a client may ask for. */
        @WithDefault("1000")
        int maxPerPage();

        /** How long a nextPageToken stays valid. */
        @WithDefault("1h")
        Duration pageTokenLifetime();

        /**
         * GS1 Company Prefixes known to this repository. A Digital Link carries no company prefix
         * boundary, but an EPC URN does; writing a Digital Link as an EPC URN takes the longest
         * of these that the key starts with.
         */
        Optional<List<String>> companyPrefixes();

        /** Company prefix length assumed for keys that match none of the known prefixes (6 to 12). */
        @WithDefault("7")
        int defaultCompanyPrefixLength();
    }

    interface Movements {
        /**
         * How often verified marks are commissioned into the ledger; 0s turns the commissioner's
         * own schedule off (the test suite drives it directly).
         */
        @WithDefault("5s")
        Duration commissionInterval();

        /**
         * How long a verified code of a running line waits before it is commissioned: its item may
         * still be pushed off at the reject gate, which voids the code, until it has passed it.
         */
        @WithDefault("30s")
        Duration commissionDelay();

        /** Most items one commissioning or decommissioning event lists. */
        @WithDefault("1000")
        int commissionEventSize();
    }

    interface Secrets {
        /**
         * The key that encrypts the secrets the service stores (marker passwords): base64 or hex, at
         * least 16 bytes. Needed on PostgreSQL once such a secret is stored; the embedded default
         * generates one into the data folder.
         */
        Optional<String> key();
    }
}
