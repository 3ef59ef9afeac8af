package io.imagerec.results.search;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a search, newest first; {@code nextCursor} is null on the last page. */
@Schema(name = "JobPage")
public record JobPage(
        @Schema(required = true) List<JobSummary> items,
        @Schema(required = true, nullable = true, description = "pass as cursor for the next page; null on the last page")
        @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
}
