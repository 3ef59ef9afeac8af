package io.imagerec.ingest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.Json;
import io.imagerec.testsupport.TestCloud;
import software.amazon.awssdk.services.sqs.model.Message;

/** Reads what the service under test sent, straight from the queue server. */
public final class Queues {

    private Queues() {
    }

    /** Every message now on a queue, removed from it. */
    public static List<JsonNode> drain(TestCloud cloud, String queue) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = cloud.sqsClient().receiveMessage(b -> b.queueUrl(cloud.queueUrl(queue))
                    .maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (Message m : messages) {
                bodies.add(Json.mapper().readTree(m.body()));
                cloud.sqsClient().deleteMessage(b -> b.queueUrl(cloud.queueUrl(queue)).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
