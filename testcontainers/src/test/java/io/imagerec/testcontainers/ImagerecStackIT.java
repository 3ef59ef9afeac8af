package io.imagerec.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole platform from ImagerecStack: an upload through ingest comes back SUCCEEDED from results. */
@RequiresImages({ImagerecImages.LOCAL_CLOUD, ImagerecImages.REKOGNITION_LOCAL, ImagerecImages.RESULTS_SERVICE,
        ImagerecImages.RECOGNITION_WORKER, ImagerecImages.INGEST_SERVICE})
class ImagerecStackIT {

    static ImagerecStack stack;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        stack = new ImagerecStack();
        long t0 = System.nanoTime();
        stack.start();
        System.out.printf("ImagerecStack ready in %.1f s: ingest %s, results %s%n", (System.nanoTime() - t0) / 1e9,
                stack.ingestUrl(), stack.resultsUrl());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void anUploadThroughIngestSucceedsWithItsLabels() throws Exception {
        Optional<Path> dog = DockerRequirement.sample("objects/dog.jpg");
        byte[] image = dog.isPresent() ? Files.readAllBytes(dog.get()) : madeHere();
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(stack.ingestUrl().resolve("/v1/images"))
                .header("X-Api-Key", stack.bootstrapApiKey()).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        String jobId = field(accepted.body(), "jobId");

        URI job = stack.resultsUrl().resolve("/v1/jobs/" + jobId);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String body;
        String status;
        do {
            Thread.sleep(500);
            body = HTTP.send(HttpRequest.newBuilder(job).header("X-Api-Key", stack.bootstrapApiKey()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            status = field(body, "status");
        } while (!status.equals("SUCCEEDED") && !status.equals("FAILED") && System.nanoTime() < deadline);
        assertEquals("SUCCEEDED", status, body);
        if (dog.isPresent()) {
            assertTrue(body.contains("\"Name\":\"Dog\""), "Dog in " + body);
        } else {
            System.out.println("No ../shared/testdata/objects/dog.jpg: the label check is skipped, SUCCEEDED was required");
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static byte[] madeHere() throws Exception {
        BufferedImage picture = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(new Color(90, 150, 220));
        g.fillRect(0, 0, 320, 240);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(picture, "jpg", jpeg);
        return jpeg.toByteArray();
    }
}
