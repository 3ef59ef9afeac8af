package io.imagerec.contracts;

/** What a job asks the recognition engine to look for. */
public enum Feature {
    LABELS,
    FACES,
    TEXT,
    MODERATION,
    IMAGE_PROPERTIES
}
