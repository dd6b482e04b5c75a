package io.tracemark.trace.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A station key presented as {@code Authorization: Bearer tmk_…}. */
public class StationKeyRequest extends BaseAuthenticationRequest {

    private final Credentials.StationKey key;

    public StationKeyRequest(Credentials.StationKey key) {
        this.key = key;
    }

    public Credentials.StationKey key() {
        return key;
    }
}
