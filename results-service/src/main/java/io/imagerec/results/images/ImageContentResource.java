package io.imagerec.results.images;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestMulti;

import io.imagerec.contracts.Tenants;
import io.imagerec.results.config.ResultsConfig;
import io.imagerec.results.service.ResultsException;
import io.imagerec.security.Tenancy;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code GET /v1/images/{imageId}/content}: the stored image, streamed from S3 with its content type, for
 * clients (the web UI) that show it. Another tenant's image answers 404 like an unknown one.
 */
@Path("/v1")
@RolesAllowed("read")
public class ImageContentResource {

    private final ImageContents images;
    private final Tenancy tenancy;
    private final ResultsConfig config;

    public ImageContentResource(ImageContents images, Tenancy tenancy, ResultsConfig config) {
        this.images = images;
        this.tenancy = tenancy;
        this.config = config;
    }

    @GET
    @Path("/images/{imageId}/content")
    @Produces(MediaType.APPLICATION_OCTET_STREAM) // the image's own type is set per answer
    @Operation(summary = "The image as it was uploaded (JPEG or PNG)")
    @APIResponse(responseCode = "200", description = "The image's bytes, with its content type")
    @APIResponse(responseCode = "404", description = "IMAGE_NOT_FOUND: no such image for this tenant")
    @APIResponse(responseCode = "503", description = "STORAGE_UNAVAILABLE: S3 cannot be read; retry after Retry-After seconds")
    public RestMulti<byte[]> content(@PathParam("imageId") String imageId,
            @HeaderParam(Tenants.HEADER) String tenantHeader) {
        String tenant = tenancy.tenant(tenantHeader);
        Uni<ImageContents.Content> content = images.read(tenant, imageId)
                .onFailure(ImageContents.NotFound.class)
                .transform(e -> new ResultsException(404, "IMAGE_NOT_FOUND", "No image " + imageId))
                .onFailure(SdkException.class)
                .transform(e -> new ResultsException(503, "STORAGE_UNAVAILABLE",
                        "The image store is unavailable; try again shortly", config.retryAfterSeconds()));
        return RestMulti.fromUniResponse(content, ImageContents.Content::bytes, ImageContentResource::headers);
    }

    private static Map<String, List<String>> headers(ImageContents.Content content) {
        return Map.of(
                "Content-Type", List.of(content.contentType()),
                // Stored images never change under their id; only the key's holder reads them.
                "Cache-Control", List.of("private, max-age=3600"),
                "X-Content-Type-Options", List.of("nosniff"),
                "Content-Security-Policy", List.of("default-src 'none'; sandbox"));
    }
}
