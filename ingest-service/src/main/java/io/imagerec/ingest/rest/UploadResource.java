package io.imagerec.ingest.rest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.Tenants;
import io.imagerec.ingest.service.IngestException;
import io.imagerec.ingest.service.IngestService;
import io.imagerec.ingest.service.UploadReceipt;
import io.imagerec.ingest.service.UploadRequest;

/** {@code POST /v1/images}: the image as the raw body or as the multipart field {@code file}. */
@Path("/v1/images")
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {

    private final IngestService ingest;

    public UploadResource(IngestService ingest) {
        this.ingest = ingest;
    }

    @POST
    @Consumes({"image/jpeg", "image/png"})
    @Operation(summary = "Upload an image as the request body and queue its recognition")
    @APIResponse(responseCode = "202", description = "Stored and queued; follow the Location header")
    @APIResponse(responseCode = "400", description = "Empty image or invalid parameter")
    @APIResponse(responseCode = "413", description = "Larger than 15 MB")
    @APIResponse(responseCode = "415", description = "Not a JPEG or PNG image")
    @APIResponse(responseCode = "503", description = "S3 or SQS unavailable; retry after Retry-After seconds")
    public Response uploadRaw(byte[] body,
            @Parameter(description = "LABELS (default), IMAGE_PROPERTIES, TEXT; comma-separated")
            @QueryParam("features") String features,
            @QueryParam("minConfidence") Float minConfidence,
            @QueryParam("maxLabels") Integer maxLabels,
            @HeaderParam(Tenants.HEADER) String tenant,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return accepted(ingest.accept(new UploadRequest(tenant(tenant), body, features(features), minConfidence,
                maxLabels, idempotencyKey)));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload an image as the multipart field 'file' and queue its recognition")
    @APIResponse(responseCode = "202", description = "Stored and queued; follow the Location header")
    public Response uploadMultipart(@RestForm("file") FileUpload file,
            @RestForm("features") String formFeatures,
            @RestForm("minConfidence") Float formMinConfidence,
            @RestForm("maxLabels") Integer formMaxLabels,
            @QueryParam("features") String features,
            @QueryParam("minConfidence") Float minConfidence,
            @QueryParam("maxLabels") Integer maxLabels,
            @HeaderParam(Tenants.HEADER) String tenant,
            @HeaderParam("Idempotency-Key") String idempotencyKey) throws IOException {
        if (file == null) {
            throw new IngestException(400, "MISSING_FILE", "The multipart field 'file' is missing");
        }
        byte[] bytes = Files.readAllBytes(file.uploadedFile());
        return accepted(ingest.accept(new UploadRequest(tenant(tenant), bytes,
                features(formFeatures != null ? formFeatures : features),
                formMinConfidence != null ? formMinConfidence : minConfidence,
                formMaxLabels != null ? formMaxLabels : maxLabels, idempotencyKey)));
    }

    private static Response accepted(UploadReceipt receipt) {
        return Response.accepted(receipt).location(URI.create(receipt.links().get("job"))).build();
    }

    private static String tenant(String header) {
        String tenant = Tenants.fromHeader(header);
        if (tenant == null) {
            throw new IngestException(400, "INVALID_TENANT",
                    Tenants.HEADER + " must be lower-case letters, digits and dashes (at most 63)");
        }
        return tenant;
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
