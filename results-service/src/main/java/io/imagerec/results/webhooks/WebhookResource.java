package io.imagerec.results.webhooks;

import java.sql.SQLException;

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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.imagerec.contracts.Tenants;
import io.imagerec.security.Tenancy;

/**
 * {@code /v1/webhooks}: a tenant's subscriptions and their deliveries. Subscriptions send the tenant's
 * results elsewhere and hold signing secrets, so every call needs a key with the {@code admin} scope.
 */
@Path("/v1/webhooks")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookService webhooks;
    private final Tenancy tenancy;

    public WebhookResource(WebhookService webhooks, Tenancy tenancy) {
        this.webhooks = webhooks;
        this.tenancy = tenancy;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe a URL to the tenant's job events; the answer holds the signing secret, shown once")
    @APIResponse(responseCode = "201", description = "Subscribed", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WebhookService.View.class)))
    @APIResponse(responseCode = "400", description = "INVALID_WEBHOOK_URL, WEBHOOK_TARGET_NOT_ALLOWED, "
            + "INVALID_EVENT_TYPE or INVALID_PARAMETER", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "ApiError")))
    @APIResponse(responseCode = "409", description = "TOO_MANY_WEBHOOKS", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    public Response create(WebhookService.CreateRequest request, @HeaderParam(Tenants.HEADER) String tenant)
            throws SQLException {
        WebhookService.View view = webhooks.create(tenancy.tenant(tenant), request);
        return Response.status(201).header("Location", "/v1/webhooks/" + view.webhookId()).entity(view).build();
    }

    @GET
    @Operation(summary = "The tenant's subscriptions, without secrets")
    public WebhookService.Subscriptions list(@HeaderParam(Tenants.HEADER) String tenant) throws SQLException {
        return webhooks.list(tenancy.tenant(tenant));
    }

    @GET
    @Path("/{webhookId}")
    @Operation(summary = "One subscription, without its secret")
    public WebhookService.View get(@PathParam("webhookId") String webhookId, @HeaderParam(Tenants.HEADER) String tenant)
            throws SQLException {
        return webhooks.get(tenancy.tenant(tenant), webhookId);
    }

    @DELETE
    @Path("/{webhookId}")
    @Operation(summary = "Unsubscribe: the subscription and its deliveries are deleted")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("webhookId") String webhookId, @HeaderParam(Tenants.HEADER) String tenant)
            throws SQLException {
        webhooks.delete(tenancy.tenant(tenant), webhookId);
        return Response.noContent().build();
    }

    @POST
    @Path("/{webhookId}/rotate-secret")
    @Operation(summary = "A new signing secret (shown once); deliveries sent from now on are signed with it")
    public WebhookService.View rotate(@PathParam("webhookId") String webhookId,
            @HeaderParam(Tenants.HEADER) String tenant) throws SQLException {
        return webhooks.rotateSecret(tenancy.tenant(tenant), webhookId);
    }

    @GET
    @Path("/{webhookId}/deliveries")
    @Operation(summary = "The subscription's deliveries, newest first, with every attempt and its outcome")
    public WebhookService.DeliveryPage deliveries(@PathParam("webhookId") String webhookId,
            @QueryParam("state") String state, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
            @HeaderParam(Tenants.HEADER) String tenant) throws SQLException {
        return webhooks.deliveries(tenancy.tenant(tenant), webhookId, state, limit, cursor);
    }

    @POST
    @Path("/{webhookId}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a dead (or delivered) delivery again, with a new retry window")
    @APIResponse(responseCode = "202", description = "Due again now", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookRepository.Delivery.class)))
    @APIResponse(responseCode = "409", description = "DELIVERY_PENDING: it is still being tried", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    public Response redeliver(@PathParam("webhookId") String webhookId, @PathParam("deliveryId") String deliveryId,
            @HeaderParam(Tenants.HEADER) String tenant) throws SQLException {
        return Response.accepted(webhooks.redeliver(tenancy.tenant(tenant), webhookId, deliveryId)).build();
    }
}
