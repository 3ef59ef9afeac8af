package io.imagerec.rekognition.api;

import java.util.Map;

import io.imagerec.rekognition.image.ImageSource;

/**
 * The largest request body each operation can legitimately have, from Rekognition's service model:
 * an {@code ImageBlob} is at most 5,242,880 bytes, 6,990,508 characters of base64 in the JSON body;
 * CompareFaces carries two images, the other image operations one. Everything else in a request (ids,
 * filters, up to 4,096 face ids in DeleteFaces, S3 references) fits in the 1 MiB added to that.
 * A body over its operation's limit is refused before it is read when its Content-Length says so
 * (AdmissionFilter). A chunked body is cut off at {@code quarkus.http.limits.max-body-size} (15M, just
 * above CompareFaces' limit), and refused once read when it is under that but over its operation's
 * limit (RekognitionResource).
 */
public final class RequestLimits {

    /** Base64 length of the largest {@code Image.Bytes}. */
    public static final long MAX_IMAGE_BASE64 = 4 * ((ImageSource.MAX_BYTES + 2) / 3);
    /** Room for the members of a request other than its images. */
    public static final long OTHER_MEMBERS = 1024 * 1024;

    private static final Map<String, Integer> IMAGES = Map.of(
            "CompareFaces", 2,
            "DetectLabels", 1,
            "DetectModerationLabels", 1,
            "DetectFaces", 1,
            "DetectText", 1,
            "IndexFaces", 1,
            "SearchFacesByImage", 1,
            "SearchUsersByImage", 1);

    private RequestLimits() {
    }

    /** The largest body accepted for this operation. */
    public static long maxBodyBytes(String operation) {
        return IMAGES.getOrDefault(operation, 0) * MAX_IMAGE_BASE64 + OTHER_MEMBERS;
    }

    /** The refusal of a body over the limit: ImageTooLargeException where the operation takes images. */
    static RekognitionException tooLarge(String operation, long size) {
        long max = maxBodyBytes(operation);
        String message = "Request body of " + size + " bytes is over the " + max + " bytes " + operation
                + " accepts";
        return IMAGES.containsKey(operation)
                ? RekognitionException.imageTooLarge("Image size is too large: " + message
                        + " (at most " + ImageSource.MAX_BYTES + " bytes per image as Image.Bytes)")
                : RekognitionException.invalidParameter(message);
    }
}
