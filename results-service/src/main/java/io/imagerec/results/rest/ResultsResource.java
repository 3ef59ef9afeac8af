package io.imagerec.results.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.Tenants;
import io.imagerec.results.config.ResultsConfig;
import io.imagerec.results.repository.JobView;
import io.imagerec.results.service.ResultsException;
import io.imagerec.results.service.ResultsQueryService;
import io.imagerec.security.Tenancy;

/**
 * The polling API for jobs and images; every call needs a key with the {@code read} scope, and sees its
 * tenant's data only (another tenant's id answers 404 like an unknown one).
 */
@Path("/v1")
@RolesAllowed("read")
@Produces(MediaType.APPLICATION_JSON)
public class ResultsResource {

    private final ResultsQueryService results;
    private final Tenancy tenancy;
    private final ResultsConfig config;

    public ResultsResource(ResultsQueryService results, Tenancy tenancy, ResultsConfig config) {
        this.results = results;
        this.tenancy = tenancy;
        this.config = config;
    }

    @GET
    @Path("/jobs/{jobId}")
    @Operation(summary = "A job's status, timestamps, error, and Rekognition results")
    @APIResponse(responseCode = "200", description = "The job; Retry-After (seconds) while it is QUEUED or PROCESSING",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names the job's current ETag")
    public RestResponse<JobView> job(@PathParam("jobId") String jobId, @HeaderParam(Tenants.HEADER) String tenant,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) throws SQLException {
        JobView job = results.job(tenancy.tenant(tenant), jobId);
        boolean unfinished = !JobStatus.valueOf(job.status()).isTerminal();
        return Etags.answer(job, Etags.of(job), ifNoneMatch, unfinished ? config.pollRetryAfterSeconds() : null);
    }

    @GET
    @Path("/images/{imageId}")
    @Operation(summary = "An image and its jobs, newest first")
    @APIResponse(responseCode = "200", description = "The image's jobs",
            content = @Content(schema = @Schema(implementation = ResultsQueryService.ImageView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names the image's current ETag")
    public RestResponse<ResultsQueryService.ImageView> image(@PathParam("imageId") String imageId,
            @HeaderParam(Tenants.HEADER) String tenant, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch)
            throws SQLException {
        ResultsQueryService.ImageView image = results.image(tenancy.tenant(tenant), imageId);
        return Etags.answer(image, Etags.of(image), ifNoneMatch, null);
    }

    @GET
    @Path("/images")
    @Operation(summary = "Images with a label or a moderation label at or above a confidence, whose detected "
            + "text has the given words, or with a number of faces in a range; newest first, paged by cursor")
    public ResultsQueryService.Page<?> images(
            @Parameter(description = "Label name as Rekognition names it, e.g. Dog") @QueryParam("label") String label,
            @Parameter(description = "Moderation label as Rekognition names it, a top-level category or a second-level "
                    + "label, e.g. Explicit Nudity (jobs that asked for MODERATION)")
            @QueryParam("moderationLabel") String moderationLabel,
            @QueryParam("minConfidence") Float minConfidence,
            @Parameter(description = "Words the image's text must contain (full-text search), e.g. parking")
            @QueryParam("text") String text,
            @Parameter(description = "At least this many faces (jobs that asked for FACES)") @QueryParam("minFaces") Integer minFaces,
            @Parameter(description = "At most this many faces") @QueryParam("maxFaces") Integer maxFaces,
            @Parameter(description = "1 to 200, default 50") @QueryParam("limit") Integer limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @HeaderParam(Tenants.HEADER) String tenantHeader) throws SQLException {
        String tenant = tenancy.tenant(tenantHeader);
        boolean byLabel = label != null && !label.isBlank();
        boolean byText = text != null && !text.isBlank();
        boolean byModeration = moderationLabel != null && !moderationLabel.isBlank();
        boolean byFaces = minFaces != null || maxFaces != null;
        if ((byLabel ? 1 : 0) + (byModeration ? 1 : 0) + (byText ? 1 : 0) + (byFaces ? 1 : 0) != 1) {
            throw new ResultsException(400, "INVALID_PARAMETER", "give exactly one of label (e.g. ?label=Dog), "
                    + "moderationLabel (?moderationLabel=Explicit), text (?text=parking) or a face count (?minFaces=2)");
        }
        if (byModeration) {
            return results.byModerationLabel(tenant, moderationLabel, minConfidence, limit, cursor);
        }
        if (byFaces) {
            return results.byFaceCount(tenant, minFaces, maxFaces, limit, cursor);
        }
        return byLabel ? results.byLabel(tenant, label, minConfidence, limit, cursor)
                : results.byText(tenant, text, limit, cursor);
    }
}
