package io.imagerec.ingest.keys;

import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.imagerec.contracts.Tenants;
import io.imagerec.ingest.service.IngestException;
import io.imagerec.security.ApiKeyRecord;
import io.imagerec.security.ApiKeys;
import io.imagerec.security.Caller;
import io.imagerec.security.Scope;
import io.imagerec.security.Tenancy;
import io.smallrye.mutiny.Uni;

/**
 * {@code /v1/keys}: an admin key creates, lists, rotates and revokes the API keys of its tenant; the
 * operator's key ({@code BOOTSTRAP_API_KEY}) those of any tenant. The secret is in the answer to a
 * create or a rotate only; it is stored as a salted hash.
 */
@Path("/v1/keys")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private static final int MAX_NAME = 100;

    /** A new key: a name for people, its scopes, and (operator only) its tenant. */
    public record CreateRequest(String name, List<String> scopes, String tenant) {
    }

    /** A key as listed: never its secret or hash. {@code key} is set only when just created or rotated. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(String keyId, String tenant, String name, Set<Scope> scopes, Instant createdAt,
            Instant rotatedAt, Instant revokedAt, String key) {

        static KeyView of(ApiKeyRecord r, String secret) {
            return new KeyView(r.keyId(), r.tenant(), r.name(), r.scopes(), r.createdAt(), r.rotatedAt(), r.revokedAt(),
                    secret);
        }
    }

    private final ApiKeys keys;
    private final Tenancy tenancy;

    public ApiKeyResource(ApiKeys keys, Tenancy tenancy) {
        this.keys = keys;
        this.tenancy = tenancy;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key; its secret is shown in this answer only")
    @APIResponse(responseCode = "201", description = "Created; 'key' is the secret to send in X-Api-Key")
    @APIResponse(responseCode = "400", description = "INVALID_PARAMETER: unknown scope, bad name or tenant")
    @APIResponse(responseCode = "403", description = "FORBIDDEN: another tenant, or a scope the admin key lacks")
    public Uni<Response> create(CreateRequest request, @HeaderParam(Tenants.HEADER) String tenantHeader) {
        if (request == null || request.scopes() == null || request.scopes().isEmpty()) {
            throw invalid("scopes must name at least one of upload, read, admin");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : request.scopes()) {
            Scope scope = Scope.of(name);
            if (scope == null) {
                throw invalid("Unknown scope; use upload, read, admin");
            }
            scopes.add(scope);
        }
        String name = request.name() == null ? "" : request.name();
        if (name.length() > MAX_NAME || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw invalid("name must be at most " + MAX_NAME + " printable characters");
        }
        Caller admin = tenancy.caller();
        String tenant = request.tenant() == null ? tenancy.tenant(tenantHeader) : Tenants.fromHeader(request.tenant());
        if (tenant == null || request.tenant() != null && request.tenant().isBlank()) {
            throw invalid("tenant must be lower-case letters, digits and dashes (at most 63)");
        }
        return keys.create(admin, tenant, name, scopes)
                .map(created -> Response.created(URI.create("/v1/keys/" + created.key().keyId()))
                        .entity(KeyView.of(created.record(), created.key().value())).build());
    }

    @GET
    @Operation(summary = "The tenant's API keys, revoked ones included, without secrets")
    public Uni<List<KeyView>> list(@QueryParam("tenant") String tenant) {
        Caller admin = tenancy.caller();
        String only = admin.operator() ? (tenant == null ? null : Tenants.fromHeader(tenant)) : admin.tenant();
        if (admin.operator() && tenant != null && only == null) {
            throw invalid("tenant must be lower-case letters, digits and dashes (at most 63)");
        }
        return keys.list(admin, only).map(all -> all.stream().map(r -> KeyView.of(r, null)).toList());
    }

    @GET
    @Path("/{keyId}")
    @APIResponse(responseCode = "404", description = "API_KEY_NOT_FOUND: no such key in this tenant")
    public Uni<KeyView> get(@PathParam("keyId") String keyId) {
        return keys.get(tenancy.caller(), keyId).map(r -> KeyView.of(r, null));
    }

    @POST
    @Path("/{keyId}/rotate")
    @Operation(summary = "A new secret for the key; the old one stops working")
    @APIResponse(responseCode = "200", description = "The key with its new secret in 'key'")
    @APIResponse(responseCode = "404", description = "API_KEY_NOT_FOUND")
    public Uni<KeyView> rotate(@PathParam("keyId") String keyId) {
        return keys.rotate(tenancy.caller(), keyId).map(c -> KeyView.of(c.record(), c.key().value()));
    }

    @DELETE
    @Path("/{keyId}")
    @Operation(summary = "Revoke the key for good")
    @APIResponse(responseCode = "200", description = "The revoked key")
    @APIResponse(responseCode = "404", description = "API_KEY_NOT_FOUND")
    public Uni<KeyView> revoke(@PathParam("keyId") String keyId) {
        return keys.revoke(tenancy.caller(), keyId).map(r -> KeyView.of(r, null));
    }

    private static IngestException invalid(String message) {
        return new IngestException(400, "INVALID_PARAMETER", message);
    }
}
