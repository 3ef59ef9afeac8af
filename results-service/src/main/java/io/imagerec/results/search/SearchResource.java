package io.imagerec.results.search;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.imagerec.contracts.Tenants;
import io.imagerec.security.Tenancy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Search over a tenant's jobs and its label facets; the {@code read} scope, the caller's tenant only. The
 * database is asked on a worker thread, never on the event loop. Shares {@code /v1} with the polling
 * resource: its paths (/v1/jobs, /v1/labels) are its own.
 */
@Path("/v1")
@RolesAllowed("read")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    private final SearchService search;
    private final Tenancy tenancy;

    public SearchResource(SearchService search, Tenancy tenancy) {
        this.search = search;
        this.tenancy = tenancy;
    }

    @GET
    @Path("/jobs")
    @Operation(summary = "The tenant's jobs that pass every filter given (none: all of them), newest first "
            + "(submittedAt, then jobId), paged by cursor")
    @APIResponse(responseCode = "200", description = "One page; nextCursor is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobPage.class)))
    @APIResponse(responseCode = "400", description = "INVALID_PARAMETER, INVALID_CURSOR or INVALID_TENANT",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    public Uni<JobPage> jobs(
            @Parameter(description = "A label the job found, as Rekognition names it, e.g. Dog") @QueryParam("label") String label,
            @Parameter(description = "With label: its confidence at least this, 0 to 100 (default 0)")
            @QueryParam("minConfidence") Float minConfidence,
            @Parameter(description = "Words the job's detected text contains, all of them (full-text search, "
                    + "case-insensitive, no stemming), e.g. parking") @QueryParam("text") String text,
            @Parameter(description = "At least this many faces (only jobs that asked for FACES have a count)")
            @QueryParam("minFaces") Integer minFaces,
            @Parameter(description = "At most this many faces") @QueryParam("maxFaces") Integer maxFaces,
            @Parameter(description = "The job's status", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "QUEUED", "PROCESSING", "SUCCEEDED", "FAILED" })) @QueryParam("status") String status,
            @Parameter(description = "Submitted at or after this ISO-8601 date-time, e.g. 2026-11-01T00:00:00Z",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("from") String from,
            @Parameter(description = "Submitted before this ISO-8601 date-time",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("to") String to,
            @Parameter(description = "1 to 200, default 50") @QueryParam("limit") Integer limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @HeaderParam(Tenants.HEADER) String tenantHeader) {
        String tenant = tenancy.tenant(tenantHeader);
        SearchService.Query query = new SearchService.Query(label, minConfidence, text, minFaces, maxFaces, status,
                from, to, limit, cursor);
        return Uni.createFrom().item(() -> {
            try {
                return search.search(tenant, query);
            } catch (SQLException e) {
                throw new SearchFailedException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(SearchFailedException.class).transform(Throwable::getCause);
    }

    @GET
    @Path("/labels")
    @Operation(summary = "The tenant's label names, from a prefix on, with how many of its jobs have each at or "
            + "above a confidence; highest count first")
    @APIResponse(responseCode = "200", description = "The label names and their job counts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LabelFacets.class)))
    @APIResponse(responseCode = "400", description = "INVALID_PARAMETER or INVALID_TENANT",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    public Uni<LabelFacets> labels(
            @Parameter(description = "Names that start with this, case-sensitive (Rekognition capitalises), e.g. Do")
            @QueryParam("prefix") String prefix,
            @Parameter(description = "Count a job when its label's confidence is at least this, 0 to 100 (default 0)")
            @QueryParam("minConfidence") Float minConfidence,
            @Parameter(description = "1 to 100, default 20") @QueryParam("limit") Integer limit,
            @HeaderParam(Tenants.HEADER) String tenantHeader) {
        String tenant = tenancy.tenant(tenantHeader);
        return Uni.createFrom().item(() -> {
            try {
                return search.facets(tenant, prefix, minConfidence, limit);
            } catch (SQLException e) {
                throw new SearchFailedException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(SearchFailedException.class).transform(Throwable::getCause);
    }

    /** Carries a checked SQLException out of a supplier; unwrapped before the error mapper sees it. */
    private static final class SearchFailedException extends RuntimeException {
        SearchFailedException(SQLException cause) {
            super(cause);
        }
    }
}
