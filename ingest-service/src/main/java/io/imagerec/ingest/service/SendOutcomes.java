package io.imagerec.ingest.service;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Whether a failed SendMessage certainly stored nothing. Only when every attempt the SDK made failed
 * before the request left (no connection, unknown host) or was refused by SQS with a client error;
 * a timeout or a dropped connection after the request was sent leaves the outcome unknown.
 */
final class SendOutcomes {

    private SendOutcomes() {
    }

    static boolean certainlyNotSent(SdkException failure) {
        List<Throwable> attempts = new ArrayList<>(List.of(failure.getSuppressed()));
        attempts.add(failure);
        return attempts.stream().allMatch(SendOutcomes::refusedBeforeStoring);
    }

    /** Each attempt's innermost cause, for the log. */
    static String describe(SdkException failure) {
        List<String> causes = new ArrayList<>();
        for (Throwable attempt : failure.getSuppressed()) {
            causes.add(root(attempt).toString());
        }
        causes.add(root(failure).toString());
        return String.join("; ", causes);
    }

    private static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static boolean refusedBeforeStoring(Throwable attempt) {
        if (attempt instanceof AwsServiceException service) {
            return service.statusCode() >= 400 && service.statusCode() < 500;
        }
        for (Throwable t = attempt; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        // The SDK records earlier attempts as suppressed exceptions that keep only their cause's message.
        String message = String.valueOf(attempt.getMessage());
        return attempt.getCause() == null && message.startsWith("Request attempt ")
                && (message.contains("Connection refused") || message.contains("UnknownHostException"));
    }
}
