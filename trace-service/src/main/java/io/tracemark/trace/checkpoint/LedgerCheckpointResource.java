package io.tracemark.trace.checkpoint;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.roles.Roles;

/**
 * Anchors the ledger outside the database: its public key, signed checkpoints of its head, and
 * verification of the ledger against a checkpoint a regulator kept. Beside the EPCIS binding's own
 * ledger routes, under the same {@code /epcis/ledger} path.
 */
@Path("/epcis")
@Tag(name = "Ledger checkpoints")
public class LedgerCheckpointResource {

    @Inject
    Checkpoints checkpoints;

    @Inject
    LedgerKeyring keyring;

    @Inject
    SigningKey key;

    @Inject
    SecurityIdentity identity;

    /** The public key and the ones the ledger signed with before, as published. */
    public record PublishedKey(String ledger, String keyId, String algorithm, String publicKey, String publicKeyPem,
            List<EarlierKey> earlierKeys) {
    }

    /** A key the ledger signed with before the current one; its checkpoints still verify. */
    public record EarlierKey(String keyId, String publicKey, String firstUsed) {
    }

    @GET
    @Path("ledger/key")
    @Produces("application/json")
    @PermitAll
    @Operation(summary = "The ledger's public signing key (Ed25519, SubjectPublicKeyInfo in base64 and PEM) and its key id, "
            + "SHA-256 of that key in hex; with the keys it signed with before. Public, so that anyone can pin it")
    @APIResponse(responseCode = "200", description = "The current key, and earlier keys whose checkpoints still verify")
    public PublishedKey publishedKey() {
        List<EarlierKey> earlier = checkpoints.earlierKeys(key.keyId()).stream()
                .map(known -> new EarlierKey(known.keyId, known.publicKey, Checkpoint.timeText(known.firstUsed.toInstant())))
                .toList();
        return new PublishedKey(keyring.ledgerId(), key.keyId(), SigningKey.ALGORITHM, key.publicKey(), key.publicKeyPem(),
                earlier);
    }

    @GET
    @Path("ledger/checkpoint")
    @Produces("application/json")
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "A signed checkpoint of the ledger's head, to keep outside the ledger: ledger id, chain position, "
            + "head hash, issue time and key id, signed with Ed25519; stored in the checkpoint list as well")
    @APIResponse(responseCode = "200", description = "The checkpoint")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Neither admin nor regulator")
    @APIResponse(responseCode = "409", description = "The chain is broken, or no longer extends the last checkpoint: "
            + "nothing is signed")
    public Checkpoint checkpoint() {
        return checkpoints.issue("user:" + identity.getPrincipal().getName());
    }

    @GET
    @Path("ledger/checkpoints")
    @Produces("application/json")
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "The checkpoints issued so far, on request or on the schedule, newest first (page, size)")
    @APIResponse(responseCode = "200", description = "One page of checkpoints")
    @APIResponse(responseCode = "400", description = "page or size out of range")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Neither admin nor regulator")
    public Page<Checkpoints.Issued> list(@Valid @BeanParam PageRequest paging) {
        return checkpoints.list(paging);
    }

    @POST
    @Path("ledger/verify")
    @Consumes("application/json")
    @Produces("application/json")
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "Verify the ledger against a checkpoint kept outside it: its signature (current or earlier key), "
            + "that it is this ledger's, that the ledger still holds its head at its position, and that the chain is "
            + "intact from the start to the current head; answers the first failed check and its position")
    @APIResponse(responseCode = "200", description = "The verdict, verified or not (a forged checkpoint is a verdict too)")
    @APIResponse(responseCode = "400", description = "The body is not a checkpoint: the problem names each bad field")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Neither admin nor regulator")
    public Checkpoints.Verdict verify(JsonNode body) {
        return checkpoints.verify(Checkpoint.parse(body));
    }
}
