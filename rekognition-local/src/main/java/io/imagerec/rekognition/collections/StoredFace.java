package io.imagerec.rekognition.collections;

import java.util.UUID;

import io.imagerec.rekognition.shape.BoundingBox;

/**
 * A face kept in a collection: what ListFaces and search results show, without the image.
 *
 * @param externalImageId the caller's image id, or null
 * @param indexedAt epoch milliseconds
 */
public record StoredFace(UUID faceId, UUID imageId, String externalImageId, BoundingBox boundingBox,
                         float confidence, long indexedAt) {
}
