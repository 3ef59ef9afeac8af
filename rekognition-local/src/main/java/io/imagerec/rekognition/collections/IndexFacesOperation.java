package io.imagerec.rekognition.collections;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.faces.AnalyzedFace;
import io.imagerec.rekognition.faces.DetectFacesOperation;
import io.imagerec.rekognition.faces.FaceService;
import io.imagerec.rekognition.faces.QualityFilter;
import io.imagerec.rekognition.shape.FaceDetail;

/**
 * {@code RekognitionService.IndexFaces}: detects the faces of an image and stores the largest ones
 * that pass the quality filter (their descriptors, never the image) in the collection.
 */
@ApplicationScoped
public class IndexFacesOperation implements RekognitionOperation {

    private static final Pattern EXTERNAL_IMAGE_ID = Pattern.compile("[a-zA-Z0-9_.\\-:]{1,255}");

    private final FaceCollections collections;
    private final FaceService faces;

    public IndexFacesOperation(FaceCollections collections, FaceService faces) {
        this.collections = collections;
        this.faces = faces;
    }

    public record FaceRecord(@JsonProperty("Face") CollectionShapes.Face face,
                             @JsonProperty("FaceDetail") FaceDetail faceDetail) {
    }

    public record UnindexedFace(@JsonProperty("Reasons") List<String> reasons,
                                @JsonProperty("FaceDetail") FaceDetail faceDetail) {
    }

    public record Response(@JsonProperty("FaceRecords") List<FaceRecord> faceRecords,
                           @JsonProperty("FaceModelVersion") String faceModelVersion,
                           @JsonProperty("UnindexedFaces") List<UnindexedFace> unindexedFaces) {
    }

    @Override
    public String name() {
        return "IndexFaces";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection collection = collections.get(CollectionShapes.collectionId(request));
        String externalImageId = Params.optionalString(request, "ExternalImageId");
        if (externalImageId != null && !EXTERNAL_IMAGE_ID.matcher(externalImageId).matches()) {
            throw RekognitionException.invalidParameter(
                    "ExternalImageId must be 1-255 characters of letters, digits, '_', '.', '-' and ':'");
        }
        List<String> attributes = Params.stringList(request.get("DetectionAttributes"), "DetectionAttributes",
                DetectFacesOperation.ATTRIBUTES);
        Integer maxFaces = Params.optionalInt(request, "MaxFaces", 1, FaceService.MAX_FACES);
        QualityFilter filter = QualityFilter.parse(Params.optionalString(request, "QualityFilter"), QualityFilter.AUTO);

        UUID imageId = UUID.randomUUID();
        long now = System.currentTimeMillis();
        List<FaceCollection.NewFace> added = new ArrayList<>();
        List<FaceRecord> records = new ArrayList<>();
        List<UnindexedFace> unindexed = new ArrayList<>();
        for (AnalyzedFace face : faces.analyze(request.get("Image"), "Image", DetectFacesOperation.models(attributes),
                collection.descriptor())) {
            FaceDetail detail = DetectFacesOperation.select(face.detail(), attributes);
            List<String> reasons = new ArrayList<>(filter.reasons(face));
            if (maxFaces != null && records.size() >= maxFaces && reasons.isEmpty()) {
                reasons.add("EXCEEDS_MAX_FACES");
            }
            if (!reasons.isEmpty()) {
                unindexed.add(new UnindexedFace(reasons, detail));
                continue;
            }
            StoredFace stored = new StoredFace(UUID.randomUUID(), imageId, externalImageId, face.box(),
                    face.detail().confidence(), now);
            added.add(new FaceCollection.NewFace(stored, face.descriptor()));
            records.add(new FaceRecord(CollectionShapes.Face.of(stored, collection), detail));
        }
        if (!added.isEmpty()) {
            collection.add(added);
        }
        return new Response(records, collection.descriptor().modelVersion(), unindexed);
    }
}
