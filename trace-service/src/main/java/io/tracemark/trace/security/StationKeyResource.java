package io.tracemark.trace.security;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.panache.common.Sort;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.site.Line;
import io.tracemark.trace.site.LineResource;

/** Keys that marking stations use instead of passwords; each belongs to one line. */
@Path("/api/lines/{lineId}/keys")
@Tag(name = "Access")
@RolesAllowed(Roles.ADMIN)
public class StationKeyResource {

    public record KeyInput(@Size(max = 200) String label) {
    }

    /** A station key as listed; {@code key} is filled only in the answer that issues it. */
    public record KeyView(long id, String keyId, long lineId, String label, OffsetDateTime createdAt,
            OffsetDateTime revokedAt, String key) {
        static KeyView of(ApiKey key, String secretText) {
            return new KeyView(key.id, key.keyId, key.line.id, key.label, key.createdAt, key.revokedAt, secretText);
        }
    }

    @GET
    public List<KeyView> keys(@PathParam("lineId") long lineId) {
        Line line = LineResource.find(lineId);
        return ApiKey.<ApiKey>list("line", Sort.by("id"), line).stream().map(key -> KeyView.of(key, null)).toList();
    }

    @POST
    @Transactional
    public Response issueKey(@PathParam("lineId") long lineId, @Valid KeyInput input) {
        Line line = LineResource.find(lineId);
        Credentials.StationKey secret = Credentials.newStationKey();
        ApiKey key = new ApiKey();
        key.keyId = secret.keyId();
        key.secretHash = Credentials.sha256(secret.secret());
        key.line = line;
        key.label = input == null ? null : input.label();
        key.createdAt = OffsetDateTime.now();
        key.persist();
        return Response.created(URI.create("/api/lines/" + lineId + "/keys/" + key.id))
                .entity(KeyView.of(key, secret.text())).build();
    }

    @DELETE
    @Path("{id}")
    @Transactional
    public Response revokeKey(@PathParam("lineId") long lineId, @PathParam("id") long id) {
        ApiKey key = ApiKey.<ApiKey>find("id = ?1 and line.id = ?2", id, lineId).<ApiKey>firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Key", id + " of line " + lineId));
        if (key.revokedAt == null) {
            key.revokedAt = OffsetDateTime.now();
        }
        return Response.noContent().build();
    }
}
