package io.tracemark.trace.code;

import java.util.Locale;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.security.StationScope;
import io.tracemark.trace.symbol.QrErrorCorrection;
import io.tracemark.trace.symbol.SymbolFormat;
import io.tracemark.trace.symbol.SymbolRenderer;
import io.tracemark.trace.symbol.SymbolSpec;
import io.tracemark.trace.symbol.SymbolType;

@Path("/api/codes")
@Tag(name = "Code registry")
public class CodeResource {

    private final CodeRegistry registry;
    private final SymbolRenderer renderer = new SymbolRenderer();
    private final TracemarkConfig config;
    private final SecurityIdentity identity;

    public CodeResource(CodeRegistry registry, TracemarkConfig config, SecurityIdentity identity) {
        this.registry = registry;
        this.config = config;
        this.identity = identity;
    }

    public record CheckRequest(@NotBlank @Size(max = 2000) String code) {
    }

    @GET
    @Path("{serial}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.REGULATOR, Roles.PARTNER })
    @Operation(summary = "One code and its lifecycle state", description = "A station key reads only the codes of "
            + "its line's batches (403 for another line's).")
    public CodeRegistry.CodeView get(@PathParam("serial") String serial) {
        Code code = find(serial);
        // Partners and the brand owner's staff look codes up; a station's business is its own line.
        if (identity.hasRole(Roles.STATION)) {
            StationScope.requireLine(identity, code.batch.line.id);
        }
        return registry.view(code);
    }

    @POST
    @Path("check")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Offline authenticity check",
            description = "Tells from the serial's check characters alone, without the database, whether this "
                    + "registry's key could have issued the code. Accepts a Digital Link URI, a GS1 element string "
                    + "such as (01)…(21)…, or a bare serial.")
    public CodeRegistry.CheckResult check(@NotNull @Valid CheckRequest request) {
        String text = request.code().strip();
        boolean looksLikeLink = text.contains("/01/") || text.startsWith("(01)");
        if (looksLikeLink && DigitalLink.parse(text).isEmpty()) {
            throw ProblemException.invalid("code", "is not a GS1 Digital Link URI or element string with a valid "
                    + "GTIN (01) and serial (21)");
        }
        return registry.check(text);
    }

    @GET
    @Path("{serial}/symbol")
    @Produces({ "image/png", "image/svg+xml" })
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION })
    @Operation(summary = "Render the code as a QR code or Data Matrix",
            description = "QR codes hold the Digital Link URI; Data Matrix holds the GS1 element string (01)(21) "
                    + "unless content=uri. PNG size is the pixel width; SVG is vector, modules as paths.")
    public Response symbol(@PathParam("serial") String serial,
            @QueryParam("format") @DefaultValue("png") String format,
            @QueryParam("type") @DefaultValue("qr") String type,
            @QueryParam("size") @DefaultValue("400") int size,
            @QueryParam("ec") String errorCorrection,
            @QueryParam("content") String content) {
        SymbolType symbolType = option(SymbolType.class, "type", type);
        SymbolFormat symbolFormat = option(SymbolFormat.class, "format", format);
        QrErrorCorrection level = option(QrErrorCorrection.class, "ec",
                errorCorrection == null ? config.symbols().qrErrorCorrection() : errorCorrection);
        boolean gs1 = content == null ? symbolType == SymbolType.DATAMATRIX : isGs1Content(content);
        SymbolSpec spec;
        try {
            spec = new SymbolSpec(symbolType, symbolFormat, size, level);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("size", e.getMessage());
        }
        Code code = find(serial);
        StationScope.requireLine(identity, code.batch.line.id);
        CodeRegistry.CodeView view = registry.view(code);
        byte[] image;
        try {
            image = gs1 ? renderer.renderGs1(view.gtin(), view.serial(), spec) : renderer.renderUri(view.uri(), spec);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(gs1 ? "content" : "type", e.getMessage());
        }
        CacheControl cache = new CacheControl();
        cache.setPrivate(true);
        cache.setMaxAge(3600);
        return Response.ok(image, symbolFormat.mediaType()).cacheControl(cache).build();
    }

    private Code find(String serial) {
        return registry.find(serial)
                .orElseThrow(() -> ProblemException.notFound("Code", serial + " (not issued by this registry)"));
    }

    private static boolean isGs1Content(String content) {
        return switch (content) {
            case "gs1" -> true;
            case "uri" -> false;
            default -> throw ProblemException.invalid("content", "must be gs1 or uri, not '" + content + "'");
        };
    }

    private static <E extends Enum<E>> E option(Class<E> type, String name, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw ProblemException.invalid(name, "must be one of " + allowed + ", not '" + value + "'");
    }
}
