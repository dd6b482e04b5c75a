package io.tracemark.trace.security;

import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.storage.Storage;

/**
 * Makes sure someone can sign in: when no administrator exists, creates the first one from
 * {@code tracemark.admin.password}; on the embedded default, with no password configured, a
 * generated one is printed once. Production without either refuses to start.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    // Kept in memory for this process only, so that demo mode can repeat it next to its scan URLs.
    private volatile String generatedPassword;

    /** The password generated for the first administrator at this start, if one was. */
    public Optional<String> generatedPassword() {
        return Optional.ofNullable(generatedPassword);
    }

    void onStart(@Observes StartupEvent event, TracemarkConfig config, Storage storage) {
        QuarkusTransaction.requiringNew().run(() -> ensureAdmin(config, storage));
    }

    private void ensureAdmin(TracemarkConfig config, Storage storage) {
        if (AppUser.anyAdmin()) {
            return;
        }
        String username = config.admin().username();
        String password = config.admin().password().filter(p -> !p.isBlank()).orElse(null);
        boolean generated = false;
        if (password == null) {
            if (!storage.embedded()) {
                throw new IllegalStateException("No administrator exists and none is configured: set "
                        + "TRACEMARK_ADMIN_PASSWORD (property tracemark.admin.password) for the first start");
            }
            password = Credentials.newPassword();
            generated = true;
        }
        if (AppUser.findByUsername(username).isPresent()) {
            throw new IllegalStateException("No administrator exists, but user '" + username
                    + "' does; set tracemark.admin.username to a free name");
        }
        AppUser admin = new AppUser();
        admin.username = username;
        admin.passwordHash = Credentials.hashPassword(password);
        admin.roles = Roles.ADMIN;
        admin.createdAt = OffsetDateTime.now();
        admin.persist();
        if (generated) {
            generatedPassword = password;
            // Printed on purpose, once: it is the only way the newcomer learns it.
            System.out.printf("%n  Tracemark first start: administrator '%s' created with password  %s%n"
                    + "  Keep it; it is not shown again (set TRACEMARK_ADMIN_PASSWORD to choose your own).%n%n",
                    username, password);
        } else {
            LOG.infof("Administrator '%s' created from configuration", username);
        }
    }
}
