package io.imagerec.results.ui;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What the web UI needs before it has a key: where ingest is. The page itself (static files under
 * {@code META-INF/resources/ui/}) holds no data and needs no key; every {@code /v1} call it makes does.
 */
@Path("/ui/config.json")
@PermitAll
public class UiResource {

    /** The page's settings: public by design, so nothing secret may ever go here. */
    public record Settings(String ingestUrl) {
    }

    private final Settings settings;

    public UiResource(UiConfig config) {
        this.settings = new Settings(config.ingestUrl().replaceAll("/+$", ""));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The web UI's settings: the ingest URL uploads go to")
    public Response settings() {
        return Response.ok(settings).header("Cache-Control", "no-cache").build();
    }
}
