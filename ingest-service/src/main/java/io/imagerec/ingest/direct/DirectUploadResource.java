package io.imagerec.ingest.direct;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.imagerec.contracts.Tenants;
import io.imagerec.ingest.rest.UploadResource;
import io.imagerec.ingest.service.IngestException;
import io.imagerec.security.Tenancy;
import io.smallrye.mutiny.Uni;

/** Direct uploads: {@code POST /v1/uploads} for a presigned PUT, then {@code POST /v1/uploads/{id}/complete}. */
@Path("/v1/uploads")
@RolesAllowed("upload")
@Produces(MediaType.APPLICATION_JSON)
public class DirectUploadResource {

    private final DirectUploads uploads;
    private final Tenancy tenancy;

    public DirectUploadResource(DirectUploads uploads, Tenancy tenancy) {
        this.uploads = uploads;
        this.tenancy = tenancy;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a direct upload: a presigned S3 PUT bound to the content type and length")
    @APIResponse(responseCode = "201", description = "PUT the image to url with headers, then POST links.complete")
    @APIResponse(responseCode = "400", description = "Missing contentLength or an invalid option")
    @APIResponse(responseCode = "413", description = "contentLength over 15 MB")
    @APIResponse(responseCode = "415", description = "contentType not image/jpeg or image/png")
    public Uni<Response> create(DirectUploadRequest request, @HeaderParam(Tenants.HEADER) String tenant) {
        if (request == null) {
            throw new IngestException(400, "INVALID_PARAMETER", "A JSON body with contentType and contentLength is needed");
        }
        return uploads.create(tenancy.tenant(tenant), request)
                .map(upload -> Response.created(URI.create(upload.links().get("complete"))).entity(upload).build());
    }

    @POST
    @Path("/{uploadId}/complete")
    @Operation(summary = "Start the job of a direct upload once its image is in S3; repeatable")
    @APIResponse(responseCode = "202", description = "Queued; the same answer as POST /v1/images")
    @APIResponse(responseCode = "404", description = "UPLOAD_NOT_FOUND")
    @APIResponse(responseCode = "409", description = "UPLOAD_NOT_RECEIVED: the image was not PUT yet")
    @APIResponse(responseCode = "410", description = "UPLOAD_EXPIRED: the URL ran out unused")
    @APIResponse(responseCode = "415", description = "The object is not a JPEG or PNG image")
    @APIResponse(responseCode = "503", description = "S3 or SQS unavailable; retry after Retry-After seconds")
    public Uni<Response> complete(@PathParam("uploadId") String uploadId, @HeaderParam(Tenants.HEADER) String tenant) {
        return uploads.complete(tenancy.tenant(tenant), uploadId).map(UploadResource::accepted);
    }
}
