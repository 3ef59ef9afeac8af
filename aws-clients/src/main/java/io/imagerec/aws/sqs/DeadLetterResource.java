package io.imagerec.aws.sqs;

import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;

/**
 * Operators' view of the dead-letter queue of the queue a service consumes (the worker: jobs; the
 * results service: results): what is in it, and a redrive of everything back to that queue. A service
 * gets it by producing a {@link DeadLetterQueue} bean and indexing this module.
 */
@Path("/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetterQueue deadLetters;

    public DeadLetterResource(DeadLetterQueue deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @Operation(summary = "Messages in the dead-letter queue (up to limit, 1-100), left in place")
    public Uni<DeadLetterView.Listing> list(@QueryParam("limit") @DefaultValue("10") int limit) {
        return DeadLetterView.list(deadLetters, limit);
    }

    @POST
    @Path("/redrive")
    @Operation(summary = "Move every message of the dead-letter queue back to the queue it came from")
    public Uni<DeadLetterView.Redrive> redrive() {
        return DeadLetterView.redrive(deadLetters);
    }

    @GET
    @Path("/redrives")
    @Operation(summary = "Recent redrives and their progress, newest first")
    public Uni<List<DeadLetterQueue.MoveTask>> redrives() {
        return deadLetters.moveTasks();
    }
}
