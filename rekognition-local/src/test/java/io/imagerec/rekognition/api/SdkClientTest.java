package io.imagerec.rekognition.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import software.amazon.awssdk.services.rekognition.RekognitionClient;

/** Base of the engine's tests through the unmodified AWS SDK v2 client, one client per test class. */
public abstract class SdkClientTest {

    protected static RekognitionClient rekognition;

    @BeforeAll
    static void openClient() {
        rekognition = RekognitionClients.client();
    }

    @AfterAll
    static void closeClient() {
        if (rekognition != null) {
            rekognition.close();
        }
    }
}
