package io.imagerec.results.ui;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the web UI served at {@code /ui/}; listed in the README's settings table. */
@ConfigMapping(prefix = "results.ui")
public interface UiConfig {

    /** ingest-service as the browser reaches it: where the page sends uploads (ingest must allow this origin by CORS). */
    @WithDefault("http://localhost:8080")
    String ingestUrl();
}
