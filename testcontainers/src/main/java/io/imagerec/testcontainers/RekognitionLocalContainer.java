package io.imagerec.testcontainers;

import java.net.URI;
import java.time.Duration;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * rekognition-local, Amazon Rekognition's JSON API on open models, in a container: point any
 * Rekognition client at {@link #endpoint()} and sign with {@link #accessKeyId()} /
 * {@link #secretAccessKey()} in {@link #region()} (requests are SigV4-verified). The model files are in
 * the image; nothing is downloaded.
 *
 * <pre>{@code
 * try (var engine = new RekognitionLocalContainer()) {
 *     engine.start();
 *     RekognitionClient rekognition = RekognitionClient.builder()
 *             .endpointOverride(engine.endpoint())
 *             .region(Region.of(engine.region()))
 *             .credentialsProvider(StaticCredentialsProvider.create(
 *                     AwsBasicCredentials.create(engine.accessKeyId(), engine.secretAccessKey())))
 *             .build();
 *     rekognition.detectLabels(r -> r.image(i -> i.bytes(SdkBytes.fromByteArray(jpeg))));
 * }
 * }</pre>
 *
 * Started, it is ready: the wait is on {@code /q/health/ready}, which answers once every model is loaded
 * (some 20-60 s on two cores). For {@code Image.S3Object} give it an S3 endpoint it can reach with
 * {@link #withS3Endpoint(String)}.
 */
public class RekognitionLocalContainer extends GenericContainer<RekognitionLocalContainer> {

    /** The API port inside the container (health too); {@link #MANAGEMENT_PORT} has metrics and OpenAPI. */
    public static final int PORT = 8085;
    public static final int MANAGEMENT_PORT = 8084;
    /** The name other containers on a shared network reach it by, in {@link ImagerecStack}. */
    public static final String NETWORK_ALIAS = "rekognition-local";

    private String accessKeyId = "local";
    private String secretAccessKey = "local";
    private String region = "us-east-1";

    /** The image {@link ImagerecImages#image(String)} names ({@code imagerec/rekognition-local:latest}). */
    public RekognitionLocalContainer() {
        this(ImagerecImages.image(ImagerecImages.REKOGNITION_LOCAL));
    }

    public RekognitionLocalContainer(DockerImageName image) {
        super(image);
        withExposedPorts(PORT, MANAGEMENT_PORT);
        waitingFor(Wait.forHttp("/q/health/ready").forPort(PORT).forStatusCode(200)
                .withStartupTimeout(Duration.ofMinutes(5)));
    }

    /** The key pair the engine accepts (and signs its own S3 reads with); {@code local}/{@code local} by default. */
    public RekognitionLocalContainer withCredentials(String accessKeyId, String secretAccessKey) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        return self();
    }

    public RekognitionLocalContainer withRegion(String region) {
        this.region = region;
        return self();
    }

    /** Where {@code Image.S3Object} is read from, as the container reaches it (e.g. {@code http://local-cloud:9000}). */
    public RekognitionLocalContainer withS3Endpoint(String endpoint) {
        return withEnv("REKOGNITION_S3_ENDPOINT", endpoint);
    }

    @Override
    protected void configure() {
        withEnv("AWS_ACCESS_KEY_ID", accessKeyId);
        withEnv("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        withEnv("AWS_REGION", region);
    }

    /** The endpoint for the AWS SDK's {@code endpointOverride} (or the CLI's {@code --endpoint-url}), from this host. */
    public URI endpoint() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(PORT));
    }

    /** Metrics ({@code /q/metrics}) and OpenAPI ({@code /q/openapi}), from this host. */
    public URI managementEndpoint() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(MANAGEMENT_PORT));
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    public String region() {
        return region;
    }
}
