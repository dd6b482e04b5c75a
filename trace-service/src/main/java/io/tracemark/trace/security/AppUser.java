package io.tracemark.trace.security;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

import io.tracemark.trace.roles.Roles;

/** A person who signs in with a user name and password; the password is kept as a bcrypt hash only. */
@Entity
@Table(name = "app_user")
public class AppUser extends PanacheEntity {

    @Column(nullable = false, unique = true)
    public String username;

    @Column(nullable = false)
    public String passwordHash;

    /** Comma-separated role names. */
    @Column(nullable = false)
    public String roles;

    @Column(nullable = false)
    public OffsetDateTime createdAt;

    @Column(nullable = false)
    public boolean disabled;

    /** When the user's sessions were last ended; a session cookie issued before then opens nothing. */
    public OffsetDateTime sessionsEndedAt;

    public Set<String> roleSet() {
        return new TreeSet<>(Arrays.asList(roles.split(",")));
    }

    /** Ends every session of the user now: sign-out, a new password, disabling. */
    public void endSessions() {
        sessionsEndedAt = OffsetDateTime.now();
    }

    /** Whether a session issued at {@code issuedAt} is still the user's. */
    public boolean sessionValidAt(Instant issuedAt) {
        return sessionsEndedAt == null || issuedAt.isAfter(sessionsEndedAt.toInstant());
    }

    public static Optional<AppUser> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public static boolean anyAdmin() {
        return AppUser.<AppUser>streamAll().anyMatch(user -> user.roleSet().contains(Roles.ADMIN));
    }
}
