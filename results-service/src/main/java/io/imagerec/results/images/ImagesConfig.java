package io.imagerec.results.images;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the uploaded images are: the bucket ingest stores them in. Listed in the README's settings table. */
@ConfigMapping(prefix = "results.images")
public interface ImagesConfig {

    /** ingest's {@code ingest.bucket}: images under {@code images/<tenant>/}, direct uploads under {@code direct/<tenant>/}. */
    @WithDefault("images")
    String bucket();
}
