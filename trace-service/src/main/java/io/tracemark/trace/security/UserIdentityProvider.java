package io.tracemark.trace.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks user names and passwords (HTTP Basic on the API, the console's sign-in form) against the
 * users table. A bcrypt check costs about a tenth of a second of CPU by design, so:
 * <ul>
 * <li>checks run on a small pool of their own, with a short queue; a sign-in beyond it is answered
 * 503 at once, so a flood of wrong passwords cannot take every worker from other requests;</li>
 * <li>a password proven right is remembered for a few minutes (as a SHA-256, never in clear) with
 * the hash it matched; a remembered password counts only while the user still has that hash and is
 * enabled, read on every request, so a new password or disabling takes effect at once everywhere;</li>
 * <li>an unknown user is checked against a hash of the same cost whose password nobody knows
 * ({@link Credentials#UNKNOWN_USER_HASH}), so that it answers as a wrong password does, in the same time;</li>
 * <li>failures are counted per account and per address ({@link SignInThrottle}).</li>
 * </ul>
 */
@ApplicationScoped
public class UserIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    static final Duration REMEMBER_VERIFIED = Duration.ofMinutes(5);
    private static final int MAX_REMEMBERED = 10_000;

    /** A password proven right, with the hash it was proven against. */
    private record Verified(String username, String passwordHash) {
    }

    /** What the database says of a user, read before any password check. */
    private record Account(String username, String passwordHash, boolean enabled, java.util.Set<String> roles) {
    }

    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .expireAfterWrite(REMEMBER_VERIFIED).maximumSize(MAX_REMEMBERED).build();
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    private final SignInThrottle throttle;
    private final ThreadPoolExecutor checks;

    public UserIdentityProvider(SignInThrottle throttle, SignInConfig config) {
        this.throttle = throttle;
        this.checks = new ThreadPoolExecutor(config.concurrentChecks(), config.concurrentChecks(), 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(config.waitingChecks()), runnable -> {
                    Thread thread = new Thread(runnable, "password-check");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.checks.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void stop() {
        checks.shutdownNow();
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String username = request.getUsername();
        String password = new String(request.getPassword().getPassword());
        String address = clientAddress(HttpSecurityUtils.getRoutingContextAttribute(request));
        String remembered = username + "\n" + Credentials.sha256(password);
        // The look-up blocks: on a worker thread, never on the event loop.
        return Uni.createFrom().item(() -> {
            throttle.checkAllowed(username, address);
            return QuarkusTransaction.joiningExisting().call(() -> AppUser.findByUsername(username)
                    .map(user -> new Account(user.username, user.passwordHash, !user.disabled, user.roleSet()))
                    .orElse(null));
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).flatMap(account -> {
            Verified known = verified.getIfPresent(remembered);
            if (account != null && account.enabled() && known != null
                    && known.passwordHash().equals(account.passwordHash())) {
                return Uni.createFrom().item(identity(account));
            }
            return check(remembered, account, password).map(right -> {
                if (!right) {
                    throttle.failed(username, address);
                    throw new AuthenticationFailedException("unknown user or wrong password");
                }
                throttle.succeeded(username);
                verified.put(remembered, new Verified(account.username(), account.passwordHash()));
                return identity(account);
            });
        });
    }

    /** Forgets the passwords remembered for a user: called when the password changes or the user is disabled. */
    public void forget(String username) {
        verified.asMap().values().removeIf(entry -> entry.username().equals(username));
    }

    /**
     * Whether the password is the account's; false for no account or a disabled one, after the same
     * work. Requests with the same credentials at the same moment (an API client starting many
     * connections) share one check rather than each taking a place in the pool.
     */
    private Uni<Boolean> check(String remembered, Account account, String password) {
        String hash = account == null ? Credentials.UNKNOWN_USER_HASH : account.passwordHash();
        String key = remembered + "\n" + hash;
        CompletableFuture<Boolean> result;
        try {
            result = inFlight.computeIfAbsent(key, ignored -> {
                CompletableFuture<Boolean> started = CompletableFuture
                        .supplyAsync(() -> Credentials.passwordMatches(password, hash), checks);
                started.whenComplete((matches, failure) -> inFlight.remove(key));
                return started;
            });
        } catch (RejectedExecutionException e) {
            return Uni.createFrom().failure(SignInDeferred.busy());
        }
        return Uni.createFrom().completionStage(result)
                .map(matches -> matches && account != null && account.enabled());
    }

    private static SecurityIdentity identity(Account account) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(account.username()))
                .addRoles(account.roles()).build();
    }

    private String clientAddress(RoutingContext http) {
        if (http == null) {
            return "unknown";
        }
        String peer = http.request().remoteAddress() == null ? "unknown" : http.request().remoteAddress().hostAddress();
        return throttle.client(peer, http.request().getHeader("X-Forwarded-For"));
    }
}
