package io.tracemark.trace.scan;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.tracemark.trace.code.DigitalLink;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * Scan by photo, for phones whose camera app does not open QR codes, and for Data Matrix codes,
 * which camera apps rarely read: the photo is decoded here and the reader sent to the code's page.
 * Nothing is recorded for a photo: the scan is recorded when the code's page is opened.
 */
@Path("/scan")
@Tag(name = "Digital Link resolver")
public class PhotoScanResource {

    /** What a photo held, for apps: the decoded text, the code, and where its trace is. */
    public record DecodedCode(String text, String gtin, String lot, String serial, String trace) {
    }

    private final ScanPages pages;
    private final PhotoReader reader;
    private final ScanConfig.Photo limits;
    private final String resolverHost;

    public PhotoScanResource(ScanPages pages, PhotoReader reader, ScanConfig config,
            @ConfigProperty(name = "tracemark.codes.resolver-base-url") String resolverBaseUrl) {
        this.pages = pages;
        this.reader = reader;
        this.limits = config.photo();
        this.resolverHost = URI.create(resolverBaseUrl).getHost();
    }

    @GET
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The scan-by-photo page", description = "Public: a form that sends a photo to POST /scan/photo.")
    public String form(@HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return pages.photoForm(language);
    }

    @POST
    @Path("photo")
    @PermitAll
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    @Operation(summary = "Read a code from a photo", description = "Public. Multipart form field 'photo': a JPEG or"
            + " PNG holding a QR code or Data Matrix of this service (Digital Link URI or GS1 element string)."
            + " Browsers are sent (303) to the code's page; JSON clients get the code and its trace URL."
            + " 400 when no code could be read, or when the code read is not one of this service's; 413 when the"
            + " photo is too large, 415 when it is no image.")
    public Response photo(@RestForm("photo") FileUpload photo, @Context HttpHeaders headers, @Context UriInfo uri) {
        if (photo == null || photo.uploadedFile() == null) {
            throw ProblemException.invalid("photo", "is required: send the picture as the form field 'photo'");
        }
        if (photo.size() > limits.maxBytes()) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "The photo has " + photo.size()
                    + " bytes; at most " + limits.maxBytes() + " are accepted");
        }
        BufferedImage image = PhotoReader.load(photo.uploadedFile(), limits.maxPixels());
        String text = reader.read(image).orElseThrow(() -> ProblemException.invalid("photo",
                "no QR code or Data Matrix could be read in it"));
        boolean html = Negotiation.wantsHtml(headers.getAcceptableMediaTypes());
        Optional<DigitalLink> ours = ScannedCode.parse(text)
                .filter(link -> ScannedCode.onHost(text, resolverHost, uri.getBaseUri().getHost()));
        if (ours.isEmpty()) {
            ProblemException foreign = ProblemException.invalid("photo", "holds '" + text
                    + "', which is not a code of this service");
            if (!html) {
                throw foreign;
            }
            // A code was read: the reader must hear that it is someone else's, not that the photo failed.
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(pages.foreignCode(foreign.getMessage(), headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)))
                    .header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
        }
        DigitalLink code = ours.get();
        String path = ScannedCode.path(code);
        if (html) {
            return Response.seeOther(URI.create(path)).build();
        }
        return Response.ok(new DecodedCode(text, code.gtin14(), code.lot(), code.serial(),
                uri.getBaseUri().resolve(path.substring(1)).toString())).build();
    }
}
