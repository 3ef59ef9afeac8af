package io.imagerec.testcontainers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class needs a Docker daemon and these services' images: skipped with the reason where they
 * are missing, failed instead under {@code -Dimagerec.docker.required=true} (see {@link DockerRequirement}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerRequirement.class)
@interface RequiresImages {
    String[] value();
}
