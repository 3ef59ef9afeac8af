package io.imagerec.results.rest;

import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Adds to every {@code /v1} operation of the OpenAPI document the error answers that any of them can
 * give, in the one error body ({@code ApiError}): the API key and its scope (401, 403), the key's rate (429), the
 * operator's X-Tenant-Id (400), an unavailable database or key store (503) and an Accept header that
 * does not allow JSON (406); and on a path with a parameter, 404 for an id that does not exist or is
 * another tenant's. Responses the generator made without a body (its 401 and 403 for a role check) get
 * the error body. Operations declare their own 200 and may describe their 400s further.
 */
public class ErrorResponsesFilter implements OASFilter {

    static final String ERROR_SCHEMA = "ApiError";

    /** By status, in order, so that the document lists them in order. */
    private static final Map<String, String> COMMON = new TreeMap<>(Map.of(
            "400", "INVALID_TENANT (the operator's key with a malformed X-Tenant-Id), or a parameter the operation refuses",
            "401", "UNAUTHENTICATED: no API key, or one that is unknown, rotated away or revoked",
            "403", "FORBIDDEN: the key lacks the scope the operation needs",
            "406", "NOT_ACCEPTABLE: the Accept header does not allow application/json",
            "429", "RATE_LIMITED: the key sent more than its rate; retry after Retry-After seconds",
            "503", "DATABASE_UNAVAILABLE or KEYS_UNAVAILABLE; retry after Retry-After seconds"));

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(OASFactory.createComponents());
        }
        openApi.getComponents().addSchema(ERROR_SCHEMA, errorSchema());
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openApi.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/v1/")) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                if (operation.getResponses() == null) {
                    operation.setResponses(OASFactory.createAPIResponses());
                }
                APIResponses responses = operation.getResponses();
                COMMON.forEach((status, description) -> describe(responses, status, description));
                if (path.getKey().contains("{")) {
                    describe(responses, "404", "JOB_NOT_FOUND, IMAGE_NOT_FOUND or another NOT_FOUND code: no such id "
                            + "for this tenant (another tenant's id answers the same)");
                }
            }
        }
    }

    /** Adds the error answer for {@code status}, or the error body to one the document has without a body. */
    private static void describe(APIResponses responses, String status, String description) {
        APIResponse existing = responses.getAPIResponse(status);
        if (existing == null) {
            responses.addAPIResponse(status, error(description));
        } else if (existing.getContent() == null || existing.getContent().getMediaTypes() == null
                || existing.getContent().getMediaTypes().isEmpty()) {
            responses.addAPIResponse(status, error(description));
        }
    }

    private static APIResponse error(String description) {
        return OASFactory.createAPIResponse().description(description).content(OASFactory.createContent()
                .addMediaType("application/json", OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(ERROR_SCHEMA))));
    }

    /** {"error": {"code": "...", "message": "..."}}, as io.imagerec.contracts.ApiError writes it. */
    private static Schema errorSchema() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema detail = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("code", text.description("stable error code, listed in the README"))
                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("for people; may change"))
                .addRequired("code").addRequired("message");
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).description("The one error body")
                .addProperty("error", detail).addRequired("error");
    }
}
