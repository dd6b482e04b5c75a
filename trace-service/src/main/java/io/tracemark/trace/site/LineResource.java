package io.tracemark.trace.site;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;
import io.tracemark.trace.problem.ProblemException;

@Path("/api/lines")
@Tag(name = "Master data")
@Authenticated
public class LineResource {

    @GET
    @Path("{id}")
    public SiteResource.LineView get(@PathParam("id") long id) {
        return SiteResource.LineView.of(find(id));
    }

    public static Line find(long id) {
        return Line.<Line>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Line", id));
    }
}
