package io.imagerec.rekognition.faces;

import java.util.Locale;

/**
 * The identity descriptors this engine can compute, each with its own length, similarity curve and
 * the FaceModelVersion a collection built with it reports. A collection keeps the descriptor it was
 * created with, so vectors of two models are never compared. The versions are digits and dots, as
 * Rekognition's service model requires of {@code IndexFacesModelVersion} ({@code [0-9\.]+}).
 */
public enum FaceDescriptor {

    /** HSE FaceRes' 1024-value descriptor (centred, unit length); the only one before version 2.0. */
    FACERES(1024, "1.0", FaceSimilarity.FACERES),
    /**
     * faceplugin's ArcFace-style 512-value embedding of the aligned face; "7.0" is the face model
     * version Amazon Rekognition gives new collections, so clients that expect the current model accept it.
     */
    ARCFACE(ArcFaceModel.DESCRIPTOR_LENGTH, "7.0", FaceSimilarity.ARCFACE);

    private final int dimensions;
    private final String modelVersion;
    private final FaceSimilarity similarity;

    FaceDescriptor(int dimensions, String modelVersion, FaceSimilarity similarity) {
        this.dimensions = dimensions;
        this.modelVersion = modelVersion;
        this.similarity = similarity;
    }

    public int dimensions() {
        return dimensions;
    }

    /** Rekognition's FaceModelVersion for faces described with this model. */
    public String modelVersion() {
        return modelVersion;
    }

    public FaceSimilarity similarity() {
        return similarity;
    }

    /** The configuration name: {@code faceres} or {@code arcface}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FaceDescriptor fromConfig(String name) {
        for (FaceDescriptor d : values()) {
            if (d.configName().equalsIgnoreCase(name.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("rekognition.faces.descriptor must be faceres or arcface, not " + name);
    }
}
