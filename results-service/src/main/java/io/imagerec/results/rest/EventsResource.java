package io.imagerec.results.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.Tenants;
import io.imagerec.results.events.EventFeed;
import io.imagerec.results.events.LastEventId;
import io.imagerec.results.events.StreamItem;
import io.imagerec.results.repository.JobView;
import io.imagerec.results.service.ResultsQueryService;
import io.imagerec.security.Tenancy;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/**
 * Live events as server-sent events: the caller's tenant's job changes as they are applied, on any
 * replica. Each is {@code id: <eventId>}, {@code event: <type>}, {@code data: <JSON>}; a client resumes
 * with {@code Last-Event-ID} (or {@code ?lastEventId=}) and gets the stored events after it first, then
 * live ones. A comment line {@code : keep-alive} is sent while nothing happens.
 */
@Path("/v1")
@RolesAllowed("read")
public class EventsResource {

    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final EventFeed feed;
    private final ResultsQueryService results;
    private final Tenancy tenancy;
    private final ObjectMapper json;

    public EventsResource(EventFeed feed, ResultsQueryService results, Tenancy tenancy, ObjectMapper json) {
        this.feed = feed;
        this.results = results;
        this.tenancy = tenancy;
        this.json = json;
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "The tenant's job events as server-sent events: from now, or after Last-Event-ID")
    public Multi<OutboundSseEvent> events(@HeaderParam(LAST_EVENT_ID) String lastEventId,
            @Parameter(description = "Resume after this event id when the header cannot be set; 0 replays every "
                    + "retained event") @QueryParam("lastEventId") String lastEventIdParam,
            @HeaderParam(Tenants.HEADER) String tenantHeader, @Context Sse sse) throws SQLException {
        String tenant = tenancy.tenant(tenantHeader);
        Long after = LastEventId.parse(lastEventId, lastEventIdParam);
        return stream(feed.open(tenant, null, after, false), sse);
    }

    @GET
    @Path("/jobs/{jobId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "One job's events as server-sent events, from its first (or after Last-Event-ID); "
            + "the stream ends after job.succeeded or job.failed")
    public Multi<OutboundSseEvent> jobEvents(@PathParam("jobId") String jobId,
            @HeaderParam(LAST_EVENT_ID) String lastEventId,
            @Parameter(description = "Resume after this event id when the header cannot be set")
            @QueryParam("lastEventId") String lastEventIdParam,
            @HeaderParam(Tenants.HEADER) String tenantHeader, @Context Sse sse) throws SQLException {
        String tenant = tenancy.tenant(tenantHeader);
        Long after = LastEventId.parse(lastEventId, lastEventIdParam);
        JobView job = results.job(tenant, jobId); // 404 JOB_NOT_FOUND, as GET /v1/jobs/{jobId}
        boolean finished = JobStatus.valueOf(job.status()).isTerminal();
        return stream(feed.open(tenant, jobId, after, finished), sse);
    }

    private Multi<OutboundSseEvent> stream(Multi<StreamItem> items, Sse sse) {
        return RestMulti.fromMultiData(items.map(item -> event(item, sse)))
                .header("Cache-Control", "no-store")
                .header("X-Accel-Buffering", "no") // proxies such as nginx: pass each event on at once
                .build();
    }

    /**
     * Quarkus REST writes {@code field:value}; the value's leading space gives {@code field: value},
     * the form the API documents. An SSE parser drops that one space.
     */
    private OutboundSseEvent event(StreamItem item, Sse sse) {
        if (item instanceof StreamItem.Event e) {
            String data;
            try {
                data = json.writeValueAsString(e.event());
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("cannot serialise an event", ex);
            }
            return sse.newEventBuilder().id(" " + e.event().eventId()).name(" " + e.event().type())
                    .data(String.class, " " + data).build();
        }
        return sse.newEventBuilder().comment(" keep-alive").build();
    }
}
