package io.imagerec.results.events;

/** What a live-event stream sends: an event, or a keep-alive comment. */
public sealed interface StreamItem {

    record Event(JobEvent event) implements StreamItem {
    }

    record KeepAlive() implements StreamItem {
    }
}
