package io.imagerec.rekognition.image;

import java.util.Base64;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.LogText;
import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.config.EngineConfig;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Resolves a request's {@code Image} to bytes: {@code Bytes} (base64 in the JSON body) or
 * {@code S3Object} read through the configured S3 endpoint with the default credentials chain.
 */
@ApplicationScoped
public class ImageSource {

    /** Rekognition's limits: 5 MB as request bytes, 15 MB as an S3 object. */
    public static final long MAX_BYTES = 5L * 1024 * 1024;
    public static final long MAX_S3_BYTES = 15L * 1024 * 1024;

    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]");
    private static final Pattern BUCKET = Pattern.compile("[0-9A-Za-z.\\-_]{3,255}");

    private final S3Client s3;

    public ImageSource(EngineConfig config) {
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(config.s3().region()))
                .forcePathStyle(config.s3().pathStyle());
        config.s3().endpoint().ifPresent(builder::endpointOverride);
        this.s3 = builder.build();
    }

    public byte[] read(JsonNode image) {
        if (image == null || image.isNull()) {
            throw RekognitionException.invalidParameter("Image is required");
        }
        if (!image.isObject()) {
            throw RekognitionException.serialization("Image must be a structure, not " + image.getNodeType());
        }
        boolean hasBytes = image.hasNonNull("Bytes");
        boolean hasS3 = image.hasNonNull("S3Object");
        if (hasBytes == hasS3) {
            throw RekognitionException.invalidParameter("Image must have exactly one of Bytes or S3Object");
        }
        return hasBytes ? fromBytes(image.get("Bytes")) : fromS3(image.get("S3Object"));
    }

    private static byte[] fromBytes(JsonNode bytes) {
        if (!bytes.isTextual()) {
            throw RekognitionException.serialization("Image.Bytes must be a base64 string, not " + bytes.getNodeType());
        }
        String text = bytes.asText();
        if ((long) text.length() * 3 / 4 > MAX_BYTES + 3) {
            throw RekognitionException.imageTooLarge("Image size is too large: at most " + MAX_BYTES
                    + " bytes may be passed as Image.Bytes");
        }
        byte[] decoded;
        try {
            // Strict base64: line breaks (as base64 tools write them) are allowed, nothing else outside the alphabet.
            decoded = Base64.getDecoder().decode(LINE_BREAKS.matcher(text).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw RekognitionException.invalidImageFormat("Request has invalid image format: Image.Bytes is not base64");
        }
        if (decoded.length > MAX_BYTES) {
            throw RekognitionException.imageTooLarge("Image size is too large: at most " + MAX_BYTES
                    + " bytes may be passed as Image.Bytes");
        }
        if (decoded.length == 0) {
            throw RekognitionException.invalidImageFormat("Request has invalid image format: the image is empty");
        }
        return decoded;
    }

    private byte[] fromS3(JsonNode ref) {
        if (!ref.isObject()) {
            throw RekognitionException.serialization("Image.S3Object must be a structure, not " + ref.getNodeType());
        }
        String bucket = Params.optionalString(ref, "Bucket");
        String key = Params.optionalString(ref, "Name");
        String version = Params.optionalString(ref, "Version");
        if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
            throw RekognitionException.invalidParameter("Image.S3Object needs Bucket and Name");
        }
        // Rekognition's S3Bucket pattern and lengths; names and versions hold no control characters.
        if (!BUCKET.matcher(bucket).matches()) {
            throw RekognitionException.invalidParameter("Image.S3Object.Bucket must be 3-255 characters of "
                    + "letters, digits, '.', '-' and '_'");
        }
        if (key.length() > 1024 || LogText.hasControl(key) || (version != null
                && (version.isEmpty() || version.length() > 1024 || LogText.hasControl(version)))) {
            throw RekognitionException.invalidParameter("Image.S3Object.Name and Version must be 1-1024 characters "
                    + "without control characters");
        }
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key).versionId(version));
            if (head.contentLength() != null && head.contentLength() > MAX_S3_BYTES) {
                throw RekognitionException.imageTooLarge("Image size is too large: S3 objects may be at most "
                        + MAX_S3_BYTES + " bytes");
            }
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(
                    GetObjectRequest.builder().bucket(bucket).key(key).versionId(version).build());
            return object.asByteArray();
        } catch (SdkException e) {
            throw s3Failure(e);
        }
    }

    /**
     * An S3 failure as Rekognition reports it. Only S3's own refusal of the object (missing object or
     * bucket, access denied, a malformed request) is InvalidS3ObjectException, which a client must not
     * retry; S3 throttling is ThrottlingException, and S3 being unreachable, slow or failing (5xx) is
     * InternalServerError, both retryable.
     */
    static RekognitionException s3Failure(SdkException e) {
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            if (status == 503 || status == 429 || "SlowDown".equals(code)) {
                return RekognitionException.throttling("S3 is throttling requests for the image; retry later");
            }
            if (status >= 300 && status < 500 && status != 408) {
                return RekognitionException.invalidS3Object(
                        "Unable to get object metadata from S3. Check object key, region and/or access permissions.");
            }
        }
        return RekognitionException.internal("The image could not be read from S3 at this time; retry later");
    }

    @PreDestroy
    void close() {
        s3.close();
    }
}
