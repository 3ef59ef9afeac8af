package io.imagerec.ingest.backfill;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.Tenants;
import io.imagerec.ingest.config.IngestConfig;
import io.imagerec.ingest.service.IngestException;
import io.imagerec.ingest.service.IngestService;
import io.imagerec.ingest.service.JobOptions;
import io.imagerec.security.Tenancy;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code POST /v1/backfills} recognises the images already in a bucket; {@code GET /v1/backfills/{id}}
 * shows its progress.
 */
@Path("/v1/backfills")
@Produces(MediaType.APPLICATION_JSON)
public class BackfillResource {

    /** S3's bucket naming rules, in short. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final BackfillRunner runner;
    private final IngestService ingest;
    private final IngestConfig config;
    private final Clock clock = Clock.systemUTC();

    private final Tenancy tenancy;

    public BackfillResource(BackfillRunner runner, IngestService ingest, IngestConfig config, Tenancy tenancy) {
        this.runner = runner;
        this.ingest = ingest;
        this.config = config;
        this.tenancy = tenancy;
    }

    /** A backfill reads a bucket with ingest's own credentials: only a tenant's admin key may start one. */
    @POST
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue recognition of every JPEG and PNG under a bucket prefix, at a bounded rate")
    @APIResponse(responseCode = "202", description = "Started; follow the Location header for progress")
    @APIResponse(responseCode = "400", description = "Invalid bucket, prefix, rate or option")
    public Uni<Response> create(BackfillRequest request, @HeaderParam(Tenants.HEADER) String tenant) {
        String owner = tenancy.tenant(tenant);
        if (request == null || request.bucket() == null || !BUCKET.matcher(request.bucket()).matches()) {
            throw new IngestException(400, "INVALID_PARAMETER", "bucket must be an S3 bucket name");
        }
        // Never the platform's own bucket (other tenants' uploads and records); only the allowed ones if listed.
        if (request.bucket().equals(config.bucket()) || config.backfills().allowedBuckets()
                .map(allowed -> !allowed.contains(request.bucket())).orElse(false)) {
            throw new IngestException(403, "BUCKET_NOT_ALLOWED", "Backfills may not read bucket " + request.bucket());
        }
        String prefix = request.prefix() == null ? "" : request.prefix();
        if (prefix.length() > 1024 || prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IngestException(400, "INVALID_PARAMETER", "prefix must be at most 1024 printable characters");
        }
        int rate = request.ratePerSecond() == null ? config.backfills().defaultRate() : request.ratePerSecond();
        if (rate < 1 || rate > config.backfills().maxRate()) {
            throw new IngestException(400, "INVALID_PARAMETER",
                    "ratePerSecond must be from 1 to " + config.backfills().maxRate());
        }
        JobOptions options = new JobOptions(request.features(), request.minConfidence(), request.maxLabels())
                .validated();
        Instant now = clock.instant();
        Backfill fresh = Backfill.create(JobIds.next(now), owner, request.bucket(), prefix, options, rate, now,
                now.plus(config.backfills().lease()));
        String self = self(fresh.id());
        int cap = config.backfills().maxRunningPerTenant();
        return runner.runningCount(owner, cap).chain(running -> {
            if (running >= cap) {
                throw new IngestException(429, "TOO_MANY_BACKFILLS", "At most " + cap
                        + " backfills may run at once for a tenant; retry after one has ended", 60, null);
            }
            return runner.start(fresh);
        })
                .onFailure(SdkException.class)
                        .transform(ingest.storageUnavailable("The image store is unavailable; nothing was started"))
                .map(b -> Response.accepted(BackfillView.of(b, self)).location(URI.create(self)).build());
    }

    @GET
    @RolesAllowed("read")
    @Path("/{id}")
    @Operation(summary = "A backfill's progress: objects listed, jobs enqueued, objects skipped, state")
    @APIResponse(responseCode = "200", description = "The backfill")
    @APIResponse(responseCode = "404", description = "BACKFILL_NOT_FOUND")
    public Uni<BackfillView> get(@PathParam("id") String id, @HeaderParam(Tenants.HEADER) String tenant) {
        String owner = tenancy.tenant(tenant);
        if (JobIds.createdAt(id).isEmpty()) {
            throw notFound();
        }
        return runner.get(owner, id)
                .onFailure(SdkException.class).transform(ingest.storageUnavailable("The image store is unavailable"))
                .map(found -> BackfillView.of(found.orElseThrow(BackfillResource::notFound), self(id)));
    }

    private String self(String id) {
        return config.baseUrl().replaceAll("/+$", "") + "/v1/backfills/" + id;
    }

    private static IngestException notFound() {
        return new IngestException(404, "BACKFILL_NOT_FOUND", "No such backfill");
    }
}
