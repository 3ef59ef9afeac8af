package io.imagerec.rekognition.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.TestImages;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsFeatureName;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.DominantColor;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.ImageTooLargeException;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.InternalServerErrorException;
import software.amazon.awssdk.services.rekognition.model.InvalidS3ObjectException;

/** The wire protocol and its errors, through the real AWS SDK v2 client, on generated images. */
@QuarkusTest
@QuarkusTestResource(LocalCloudResource.class)
class RekognitionApiTest extends SdkClientTest {

    private static Image bytes(byte[] data) {
        return Image.builder().bytes(SdkBytes.fromByteArray(data)).build();
    }

    @Test
    void imagePropertiesMeasureAGeneratedPicture() {
        byte[] png = TestImages.encode(TestImages.twoColors(400, 300, new Color(220, 20, 20), new Color(20, 20, 220)),
                "png");
        DetectLabelsResponse response = rekognition.detectLabels(r -> r.image(bytes(png))
                .features(DetectLabelsFeatureName.IMAGE_PROPERTIES));

        assertTrue(response.labels().isEmpty(), "GENERAL_LABELS was not asked for");
        assertEquals("3.0", response.labelModelVersion());
        List<DominantColor> colors = response.imageProperties().dominantColors();
        assertEquals(2, colors.size(), colors::toString);
        assertEquals(List.of("blue", "red"), colors.stream().map(DominantColor::simplifiedColor).sorted().toList());
        colors.forEach(c -> assertEquals(50f, c.pixelPercent(), 1f));
        DominantColor red = colors.stream().filter(c -> c.simplifiedColor().equals("red")).findFirst().orElseThrow();
        assertEquals("#dc1414", red.hexCode());
        assertEquals("crimson", red.cssColor());
        float brightness = response.imageProperties().quality().brightness();
        assertTrue(brightness > 10 && brightness < 40, "brightness " + brightness);
        assertTrue(response.imageProperties().quality().contrast() > 0);
    }

    @Test
    void generalLabelsOnAPictureWithNoObjectsAreEmptyButWellFormed() {
        byte[] jpeg = TestImages.encode(TestImages.twoColors(640, 480, Color.WHITE, Color.LIGHT_GRAY), "jpg");
        DetectLabelsResponse response = rekognition.detectLabels(r -> r.image(bytes(jpeg)).minConfidence(55f));
        assertTrue(response.hasLabels());
        assertTrue(response.labels().isEmpty(), response.labels()::toString);
        assertNull(response.imageProperties());
    }

    @Test
    void notAnImageIsInvalidImageFormat() {
        InvalidImageFormatException e = assertThrows(InvalidImageFormatException.class,
                () -> rekognition.detectLabels(r -> r.image(bytes("hello, not an image".getBytes()))));
        assertEquals(400, e.statusCode());
        assertEquals("InvalidImageFormatException", e.awsErrorDetails().errorCode());
    }

    @Test
    void truncatedJpegIsInvalidImageFormat() {
        byte[] jpeg = TestImages.encode(TestImages.twoColors(640, 480, Color.RED, Color.GREEN), "jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertThrows(InvalidImageFormatException.class, () -> rekognition.detectLabels(r -> r.image(bytes(cut))));
    }

    @Test
    void tooSmallImageIsInvalidParameter() {
        byte[] png = TestImages.encode(TestImages.twoColors(40, 200, Color.RED, Color.GREEN), "png");
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> rekognition.detectLabels(r -> r.image(bytes(png))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("80"), e.getMessage());
    }

    @Test
    void pixelBombIsRefusedFromItsHeader() {
        // A PNG that claims 50,000 x 50,000 pixels: refused before any pixel data is read.
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class,
                () -> rekognition.detectLabels(r -> r.image(bytes(pngHeaderOnly(50_000, 50_000)))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("50000x50000"), e.getMessage());
    }

    @Test
    void imageBytesOverFiveMegabytesAreTooLarge() {
        byte[] big = new byte[5 * 1024 * 1024 + 1];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        assertThrows(ImageTooLargeException.class, () -> rekognition.detectLabels(r -> r.image(bytes(big))));
    }

    @Test
    void parametersOutOfRangeAreInvalidParameter() {
        byte[] png = TestImages.encode(TestImages.twoColors(200, 200, Color.RED, Color.GREEN), "png");
        assertThrows(InvalidParameterException.class,
                () -> rekognition.detectLabels(r -> r.image(bytes(png)).minConfidence(150f)));
        assertThrows(InvalidParameterException.class,
                () -> rekognition.detectLabels(r -> r.image(bytes(png)).maxLabels(-1)));
    }

    @Test
    void s3ObjectsAreReadAndS3ErrorsAreClassifiedAsAwsDoes() throws Exception {
        TestCloud cloud = LocalCloudResource.cloud();
        byte[] png = TestImages.encode(TestImages.twoColors(200, 200, Color.RED, Color.BLUE), "png");
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key("engine-test/two.png"), RequestBody.fromBytes(png));

        DetectLabelsResponse read = rekognition.detectLabels(r -> r.image(s3(TestCloud.BUCKET, "engine-test/two.png"))
                .features(DetectLabelsFeatureName.IMAGE_PROPERTIES));
        assertEquals(2, read.imageProperties().dominantColors().size());

        // S3 refuses the object itself: the request can never succeed.
        assertThrows(InvalidS3ObjectException.class,
                () -> rekognition.detectLabels(r -> r.image(s3(TestCloud.BUCKET, "engine-test/missing.png"))));
        assertThrows(InvalidS3ObjectException.class,
                () -> rekognition.detectLabels(r -> r.image(s3("no-such-bucket", "engine-test/two.png"))));

        // S3 cannot be reached: a retryable server error, never InvalidS3ObjectException.
        cloud.s3().refuse();
        try {
            InternalServerErrorException e = assertThrows(InternalServerErrorException.class,
                    () -> rekognition.detectLabels(r -> r.image(s3(TestCloud.BUCKET, "engine-test/two.png"))));
            assertEquals(500, e.statusCode(), "a 5xx, which the SDKs retry");
        } finally {
            cloud.s3().pass();
        }
        assertEquals(2, rekognition.detectLabels(r -> r.image(s3(TestCloud.BUCKET, "engine-test/two.png"))
                .features(DetectLabelsFeatureName.IMAGE_PROPERTIES)).imageProperties().dominantColors().size(),
                "answers again once S3 is back");
    }

    private static Image s3(String bucket, String key) {
        return Image.builder().s3Object(o -> o.bucket(bucket).name(key)).build();
    }

    @Test
    void unknownOperationIsReportedAsAwsDoes() {
        SignedRequests.post("NoSuchThing", "{}")
                .then().statusCode(400)
                .header("x-amzn-ErrorType", "UnknownOperationException")
                .body(containsString("\"__type\":\"UnknownOperationException\""));
    }

    @Test
    void malformedJsonIsASerializationError() {
        SignedRequests.post("DetectLabels", "{not json")
                .then().statusCode(400)
                .body(containsString("\"__type\":\"SerializationException\""));
    }

    @Test
    void healthAndMetricsAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        rekognition.detectLabels(r -> r.image(bytes(TestImages.encode(
                TestImages.twoColors(200, 200, Color.RED, Color.GREEN), "png"))));
        String metrics = given().port(RekognitionClients.managementEndpoint().getPort())
                .when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("rekognition_requests_seconds_count{operation=\"DetectLabels\",outcome=\"success\"}"),
                "request metric missing");
        assertTrue(metrics.contains("rekognition_model_inference_seconds"), "model time metric missing");
    }

    /** A PNG signature and IHDR chunk with valid CRC, claiming the given size, and no image data. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(ihdr.array());
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }
}
