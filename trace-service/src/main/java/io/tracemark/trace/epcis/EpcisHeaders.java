package io.tracemark.trace.epcis;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** The versions every EPCIS answer states, as the REST binding asks (errors included). */
public class EpcisHeaders {

    static final String EPCIS_VERSION = "2.0.0";
    static final String CBV_VERSION = "2.0.0";

    @ServerResponseFilter
    public void versions(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getUriInfo().getPath().startsWith("/epcis")) {
            response.getHeaders().putSingle("GS1-EPCIS-Version", EPCIS_VERSION);
            response.getHeaders().putSingle("GS1-CBV-Version", CBV_VERSION);
        }
    }
}
