package io.imagerec.ingest.rest;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.Tenants;
import io.imagerec.ingest.service.IngestException;
import io.imagerec.security.Tenancy;
import io.imagerec.ingest.service.IngestService;
import io.imagerec.ingest.service.JobOptions;
import io.imagerec.ingest.service.UploadReceipt;
import io.imagerec.ingest.service.UploadRequest;
import io.smallrye.mutiny.Uni;

/** {@code POST /v1/images}: the image as the raw body or as the multipart field {@code file}. */
@Path("/v1/images")
@RolesAllowed("upload")
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {

    private final IngestService ingest;
    private final Tenancy tenancy;

    public UploadResource(IngestService ingest, Tenancy tenancy) {
        this.ingest = ingest;
        this.tenancy = tenancy;
    }

    @POST
    @Consumes({"image/jpeg", "image/png"})
    @Operation(summary = "Upload an image as the request body and queue its recognition")
    @APIResponse(responseCode = "202", description = "Stored and queued; follow the Location header")
    @APIResponse(responseCode = "400", description = "Empty image or invalid parameter")
    @APIResponse(responseCode = "413", description = "Larger than 15 MB")
    @APIResponse(responseCode = "415", description = "Not a JPEG or PNG image")
    @APIResponse(responseCode = "503", description = "S3 or SQS unavailable; retry after Retry-After seconds")
    public Uni<Response> uploadRaw(byte[] body,
            @Parameter(description = "LABELS (default), IMAGE_PROPERTIES, TEXT, FACES, MODERATION; comma-separated")
            @QueryParam("features") String features,
            @QueryParam("minConfidence") Float minConfidence,
            @QueryParam("maxLabels") Integer maxLabels,
            @Parameter(description = "Where to POST the job's end, signed; must extend the URL of one of the tenant's "
                    + "webhooks") @QueryParam("callbackUrl") String callbackUrl,
            @HeaderParam(Tenants.HEADER) String tenant,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        // Read once from the connection; from here on the bytes go to S3 without another copy.
        ByteBuffer image = ByteBuffer.wrap(body == null ? new byte[0] : body).asReadOnlyBuffer();
        return ingest.accept(new UploadRequest(tenancy.tenant(tenant), image,
                new JobOptions(features(features), minConfidence, maxLabels, callbackUrl), idempotencyKey))
                .map(UploadResource::accepted);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload an image as the multipart field 'file' and queue its recognition; the fields "
            + "features, minConfidence and maxLabels, when present, take the place of the query's")
    @APIResponse(responseCode = "202", description = "Stored and queued; follow the Location header")
    @APIResponse(responseCode = "400", description = "No 'file' field, a body that is not valid multipart, or an "
            + "invalid parameter")
    public Uni<Response> uploadMultipart(byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam("features") String features,
            @QueryParam("minConfidence") Float minConfidence,
            @QueryParam("maxLabels") Integer maxLabels,
            @QueryParam("callbackUrl") String callbackUrl,
            @HeaderParam(Tenants.HEADER) String tenant,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (contentType == null) { // Quarkus REST brings a POST without a Content-Type here
            throw new IngestException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Send image/jpeg or image/png as the body, or multipart/form-data with a 'file' field");
        }
        // Read once from the connection (up to the HTTP layer's limit) and parsed here, strictly.
        MultipartForm form = MultipartForm.parse(contentType, body == null ? new byte[0] : body);
        MultipartForm.Part file = form.part("file");
        if (file == null) {
            throw new IngestException(400, "MISSING_FILE", "The multipart field 'file' is missing");
        }
        String formFeatures = form.text("features");
        String formMinConfidence = form.text("minConfidence");
        String formMaxLabels = form.text("maxLabels");
        String formCallbackUrl = form.text("callbackUrl");
        JobOptions options = new JobOptions(features(formFeatures != null ? formFeatures : features),
                formMinConfidence != null ? number("minConfidence", formMinConfidence, Float::valueOf) : minConfidence,
                formMaxLabels != null ? number("maxLabels", formMaxLabels, Integer::valueOf) : maxLabels,
                formCallbackUrl != null ? formCallbackUrl : callbackUrl);
        return ingest.accept(new UploadRequest(tenancy.tenant(tenant), file.content(), options, idempotencyKey))
                .map(UploadResource::accepted);
    }

    public static Response accepted(UploadReceipt receipt) {
        return Response.accepted(receipt).location(URI.create(receipt.links().get("job"))).build();
    }

    /** A number of a form field; 400 INVALID_PARAMETER when it is not one. */
    private static <T> T number(String name, String text, Function<String, T> parse) {
        try {
            return parse.apply(text.trim());
        } catch (NumberFormatException e) {
            throw new IngestException(400, "INVALID_PARAMETER", name + " must be a number");
        }
    }

    static List<Feature> features(String csv) {
        List<Feature> features = new ArrayList<>();
        if (csv == null || csv.isBlank()) {
            return features;
        }
        for (String name : csv.split(",")) {
            try {
                Feature f = Feature.valueOf(name.trim().toUpperCase(Locale.ROOT));
                if (!features.contains(f)) {
                    features.add(f);
                }
            } catch (IllegalArgumentException e) {
                throw new IngestException(400, "INVALID_PARAMETER", "Unknown feature '" + name.trim() + "'");
            }
        }
        return features;
    }
}
