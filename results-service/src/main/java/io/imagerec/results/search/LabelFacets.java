package io.imagerec.results.search;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Label names and how many of the tenant's jobs have each, highest count first. */
@Schema(name = "LabelFacets")
public record LabelFacets(@Schema(required = true) List<LabelCount> labels) {

    /** A label name and the number of jobs that have it at or above the confidence asked for. */
    @Schema(name = "LabelCount")
    public record LabelCount(@Schema(required = true) String name, @Schema(required = true) long count) {
    }
}
