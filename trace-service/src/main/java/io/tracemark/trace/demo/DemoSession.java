package io.tracemark.trace.demo;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.tracemark.trace.roles.Roles;

/**
 * The demo acts as an operator named {@value #USER}: it calls the same operations a person would
 * through the API, with their validation and role checks, and the ledger records it as the one who
 * captured the demo's events.
 */
@ApplicationScoped
public class DemoSession {

    public static final String USER = "demo";
    static final SecurityIdentity IDENTITY = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal(USER)).addRole(Roles.OPERATOR).build();

    private final CurrentIdentityAssociation association;

    public DemoSession(CurrentIdentityAssociation association) {
        this.association = association;
    }

    /** Runs {@code work} signed in as the demo operator, in a request context of its own. */
    @ActivateRequestContext
    public <T> T call(Supplier<T> work) {
        association.setIdentity(IDENTITY);
        return work.get();
    }
}
