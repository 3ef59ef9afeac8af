package io.imagerec.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.imagerec.contracts.Json;
import io.imagerec.contracts.Messages;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.payloadoffloading.PayloadS3Pointer;

/**
 * What the worker put on the results queue, read as results-service reads it: a message is the result,
 * or (with the {@code ExtendedPayloadSize} attribute) a pointer to the result in S3.
 */
public final class ResultsQueue {

    /** One result as it arrived, and whether it came as a claim check. */
    public record Received(RecognitionResult result, boolean claimCheck) {
    }

    private static final Map<String, List<Received>> BY_JOB = new ConcurrentHashMap<>();

    private ResultsQueue() {
    }

    /** Every result of a job received so far, in arrival order. */
    public static List<Received> of(String jobId) {
        drain();
        return List.copyOf(BY_JOB.getOrDefault(jobId, List.of()));
    }

    /** Waits for a job's SUCCEEDED or FAILED result. */
    public static Received awaitFinal(String jobId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : of(jobId)) {
                if (r.result().status().isTerminal()) {
                    return r;
                }
            }
            sleep(200);
        }
        throw new AssertionError("no final result for job " + jobId + " within " + within + "; seen: " + of(jobId));
    }

    private static void drain() {
        TestCloud cloud = LocalCloudResource.cloud();
        while (true) {
            List<Message> messages = cloud.sqsClient().receiveMessage(b -> b
                    .queueUrl(cloud.queueUrl(TestCloud.RESULTS_QUEUE)).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageAttributeNames("ExtendedPayloadSize", "SQSLargePayloadSize")).messages();
            if (messages.isEmpty()) {
                return;
            }
            for (Message m : messages) {
                Received r = read(cloud, m);
                BY_JOB.computeIfAbsent(r.result().jobId(), k -> new ArrayList<>()).add(r);
                cloud.sqsClient().deleteMessage(b -> b.queueUrl(cloud.queueUrl(TestCloud.RESULTS_QUEUE))
                        .receiptHandle(m.receiptHandle()));
            }
        }
    }

    private static Received read(TestCloud cloud, Message m) {
        // The attribute's current name; the worker does not send the legacy SQSLargePayloadSize.
        MessageAttributeValue size = m.messageAttributes().get("ExtendedPayloadSize");
        if (m.messageAttributes().containsKey("SQSLargePayloadSize")) {
            throw new AssertionError("the legacy claim-check attribute was sent");
        }
        String body = m.body();
        if (size != null) {
            PayloadS3Pointer pointer = PayloadS3Pointer.fromJson(body);
            body = cloud.s3Client().getObjectAsBytes(b -> b.bucket(pointer.getS3BucketName()).key(pointer.getS3Key()))
                    .asUtf8String();
            if (body.length() != Integer.parseInt(size.stringValue())) {
                throw new AssertionError("claim check size " + size.stringValue() + " but payload " + body.length());
            }
        }
        try {
            return new Received(Messages.readResult(Json.mapper(), body), size != null);
        } catch (IOException e) {
            throw new AssertionError("unreadable result: " + body, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
