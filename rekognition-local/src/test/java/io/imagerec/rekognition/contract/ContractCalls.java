package io.imagerec.rekognition.contract;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.TestImages;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.TestCloud;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.Image;

/**
 * What a request generator works with: the SDK client, the inputs (small generated images always, the
 * sample faces and photos where {@code ../shared/testdata} is beside the clone), and {@link #send},
 * which makes one SDK call and checks the raw answer against the service model, whether it is a
 * response or an error.
 */
public final class ContractCalls {

    /** What one operation answered over the run. */
    static final class Tally {
        int responses;
        final Set<String> errors = new TreeSet<>();
    }

    final RekognitionClient client;
    final ServiceModel model;
    /** A suffix that keeps this run's collections apart from earlier runs' (they outlive the engine). */
    final String run = Long.toString(System.currentTimeMillis(), 36);

    private final RawExchanges raw;
    private final ShapeValidator validator;
    private final ObjectMapper json;
    private final TestCloud cloud;
    private final Optional<Path> testdata = TestImages.testdataIfPresent();
    private final Map<String, Tally> tallies = new TreeMap<>();
    private final List<String> breaches = new ArrayList<>();
    private int sent;

    ContractCalls(RekognitionClient client, RawExchanges raw, ServiceModel model, ObjectMapper json, TestCloud cloud) {
        this.client = client;
        this.raw = raw;
        this.model = model;
        this.validator = new ShapeValidator(model);
        this.json = json;
        this.cloud = cloud;
    }

    /**
     * Makes one SDK call whose answer may be a response or an error; either is checked against the
     * operation its {@code X-Amz-Target} names. Returns the SDK's response, or null after an error.
     */
    public <T> T send(String label, Supplier<T> call) {
        return exchange(label, call, null);
    }

    /** A request the model allows and Rekognition answers: an error is a breach; {@code problem} checks the response. */
    public <T> T ok(String label, Supplier<T> call, Function<T, String> problem) {
        T response = exchange(label, call, "");
        String found = response == null ? null : problem.apply(response);
        if (found != null) {
            breaches.add(label + ": " + found);
        }
        return response;
    }

    public <T> T ok(String label, Supplier<T> call) {
        return ok(label, call, r -> null);
    }

    /** A request Rekognition refuses with {@code errorType}: a response or another error is a breach. */
    public void fails(String label, String errorType, Supplier<?> call) {
        exchange(label, call, errorType);
    }

    /** {@code expected}: null for anything, "" for a response, else the error type. */
    private <T> T exchange(String label, Supplier<T> call, String expected) {
        raw.drain();
        sent++;
        T response = null;
        String error = null;
        try {
            response = call.get();
        } catch (AwsServiceException e) {
            error = e.awsErrorDetails() == null ? "?" : e.awsErrorDetails().errorCode();
        }
        List<RawExchanges.Exchange> exchanges = raw.drain();
        if (exchanges.size() != 1) {
            breaches.add(label + ": expected one HTTP exchange, saw " + exchanges.size());
        }
        for (RawExchanges.Exchange e : exchanges) {
            check(label, e);
        }
        if ("".equals(expected) && error != null) {
            breaches.add(label + ": a request the model allows was refused with " + error);
        } else if (expected != null && !expected.isEmpty() && !expected.equals(error)) {
            breaches.add(label + ": expected " + expected + ", got " + (error == null ? "a response" : error));
        }
        return response;
    }

    private void check(String label, RawExchanges.Exchange e) {
        String operation = e.operation();
        if (operation == null || !model.hasOperation(operation)) {
            breaches.add(label + ": X-Amz-Target " + e.target() + " is no operation of the model");
            return;
        }
        Tally tally = tallies.computeIfAbsent(operation, o -> new Tally());
        JsonNode body;
        try {
            body = e.body().length == 0 ? json.createObjectNode() : json.readTree(e.body());
        } catch (IOException x) {
            breaches.add(operation + " [" + label + "]: status " + e.status() + ", the body is not JSON");
            return;
        }
        List<String> found;
        if (e.status() == 200) {
            tally.responses++;
            found = validator.validate(body, model.outputShape(operation));
        } else {
            String type = e.errorType() != null ? ShapeValidator.errorName(e.errorType())
                    : ShapeValidator.errorName(body.path("__type").asText("?"));
            tally.errors.add(type);
            found = validator.validateError(e.status(), e.errorType(), body, model.errors(operation));
        }
        found.forEach(f -> breaches.add(operation + " [" + label + "]: " + f));
    }

    /** A breach a generator found itself. */
    public void breach(String what) {
        breaches.add(what);
    }

    List<String> breaches() {
        return breaches;
    }

    Map<String, Tally> tallies() {
        return tallies;
    }

    int sent() {
        return sent;
    }

    // ---- inputs ----

    public boolean hasSamples() {
        return testdata.isPresent();
    }

    /** A small generated picture with no objects, faces or text in it. */
    public Image plain() {
        return bytes(GeneratedImages.jpeg(160, 120));
    }

    /** Generated black words on white. */
    public Image text() {
        return bytes(GeneratedImages.text("CONTRACT TEST 42"));
    }

    /** Bytes that are no image. */
    public Image notAnImage() {
        return bytes("this is not an image".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A sample from {@code ../shared/testdata} scaled down to at most {@code side} pixels; needs {@link #hasSamples()}. */
    public Image sample(String file, int side) {
        return bytes(sampleBytes(file, side));
    }

    byte[] sampleBytes(String file, int side) {
        Path path = testdata.orElseThrow(() -> new IllegalStateException("no ../shared/testdata")).resolve(file);
        try {
            BufferedImage in = ImageIO.read(path.toFile());
            double scale = Math.min(1.0, side / (double) Math.max(in.getWidth(), in.getHeight()));
            int w = (int) Math.round(in.getWidth() * scale);
            int h = (int) Math.round(in.getHeight() * scale);
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(in, 0, 0, w, h, null);
            g.dispose();
            return GeneratedImages.encode(out, "jpg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes put into the test cloud's S3 bucket, as an {@code S3Object} image. */
    public Image inS3(String key, byte[] content) {
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key("contract/" + key), RequestBody.fromBytes(content));
        return s3(TestCloud.BUCKET, "contract/" + key);
    }

    public Image s3(String bucket, String key) {
        return Image.builder().s3Object(o -> o.bucket(bucket).name(key)).build();
    }

    public static Image bytes(byte[] content) {
        return Image.builder().bytes(SdkBytes.fromByteArray(content)).build();
    }
}
