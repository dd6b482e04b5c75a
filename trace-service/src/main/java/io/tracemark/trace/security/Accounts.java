package io.tracemark.trace.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.problem.ProblemException;

/**
 * Changes to accounts that take effect at once on every path a credential takes: HTTP Basic (the
 * remembered passwords are forgotten and, on every instance, checked against the stored hash), and
 * console sessions (ended in the database, which every session request reads).
 */
@ApplicationScoped
public class Accounts {

    private final UserIdentityProvider passwords;

    public Accounts(UserIdentityProvider passwords) {
        this.passwords = passwords;
    }

    /** A user sets a new password, proving the current one; the user's other sessions end. */
    @Transactional
    public void changeOwnPassword(SecurityIdentity identity, String currentPassword, String newPassword) {
        AppUser user = AppUser.findByUsername(identity.getPrincipal().getName())
                .orElseThrow(() -> ProblemException.notFound("User", identity.getPrincipal().getName()));
        if (!Credentials.passwordMatches(currentPassword, user.passwordHash)) {
            throw ProblemException.invalid("currentPassword", "is not your current password");
        }
        setPassword(user, newPassword);
    }

    /** An administrator sets a user's password; the user's sessions end. */
    @Transactional
    public AppUser resetPassword(long userId, String newPassword) {
        AppUser user = find(userId);
        setPassword(user, newPassword);
        return user;
    }

    /** Disables or enables a user; disabling ends the user's sessions and API access at once. */
    @Transactional
    public AppUser setDisabled(SecurityIdentity admin, long userId, boolean disabled) {
        AppUser user = find(userId);
        if (disabled && user.username.equals(admin.getPrincipal().getName())) {
            throw ProblemException.invalid("disabled", "you cannot disable your own account; another admin can");
        }
        user.disabled = disabled;
        if (disabled) {
            user.endSessions();
            passwords.forget(user.username);
        }
        return user;
    }

    /** Ends every console session of the user, here and on every other instance. */
    @Transactional
    public void signOut(String username) {
        AppUser.findByUsername(username).ifPresent(AppUser::endSessions);
    }

    private void setPassword(AppUser user, String newPassword) {
        user.passwordHash = Credentials.hashPassword(newPassword);
        user.endSessions();
        passwords.forget(user.username);
    }

    private static AppUser find(long userId) {
        AppUser user = AppUser.findById(userId);
        if (user == null) {
            throw ProblemException.notFound("User", userId);
        }
        return user;
    }
}
