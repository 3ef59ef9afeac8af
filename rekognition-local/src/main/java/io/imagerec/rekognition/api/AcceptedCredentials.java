package io.imagerec.rekognition.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The credentials whose signatures the engine accepts: the configured {@code ACCESS_KEY_ID:SECRET}
 * pairs, or, when none are configured, the engine's own credentials from the AWS default credentials
 * chain (the ones ./run.sh and the tests give every process). Secrets never leave this class except
 * to the signer.
 */
final class AcceptedCredentials {

    private static final Logger LOG = Logger.getLogger(AcceptedCredentials.class);

    private final Map<String, AwsCredentialsIdentity> configured;
    private final Supplier<AwsCredentials> chain;
    private volatile boolean chainFailureLogged;

    private AcceptedCredentials(Map<String, AwsCredentialsIdentity> configured, Supplier<AwsCredentials> chain) {
        this.configured = configured;
        this.chain = chain;
    }

    /** The configured pairs; entries that are not {@code ID:SECRET} stop start-up (without echoing them). */
    static AcceptedCredentials configured(List<String> pairs) {
        Map<String, AwsCredentialsIdentity> byId = new HashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            String pair = pairs.get(i).trim();
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException("rekognition.auth.credentials: entry " + (i + 1)
                        + " is not ACCESS_KEY_ID:SECRET_ACCESS_KEY");
            }
            String id = pair.substring(0, colon).trim();
            byId.put(id, AwsCredentialsIdentity.create(id, pair.substring(colon + 1).trim()));
        }
        if (byId.isEmpty()) {
            throw new IllegalArgumentException("rekognition.auth.credentials lists no ACCESS_KEY_ID:SECRET_ACCESS_KEY pair");
        }
        return new AcceptedCredentials(Map.copyOf(byId), null);
    }

    /** The engine's own credentials, resolved through the default chain at each lookup (it caches them). */
    static AcceptedCredentials defaultChain() {
        DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build();
        return new AcceptedCredentials(Map.of(), provider::resolveCredentials);
    }

    static AcceptedCredentials of(Supplier<AwsCredentials> chain) {
        return new AcceptedCredentials(Map.of(), chain);
    }

    String describe() {
        return chain == null ? configured.size() + " configured credential(s) (rekognition.auth.credentials)"
                : "the engine's own credentials from the AWS default credentials chain";
    }

    /**
     * Whether the key id can be accepted, without blocking: always true for the default chain, which may
     * only be asked on a worker thread ({@link #lookup}).
     */
    boolean mayAccept(String accessKeyId) {
        return chain != null || configured.containsKey(accessKeyId);
    }

    /** The accepted credentials of this access key id; may block while the default chain resolves. */
    Optional<AwsCredentialsIdentity> lookup(String accessKeyId) {
        if (chain == null) {
            return Optional.ofNullable(configured.get(accessKeyId));
        }
        AwsCredentials own;
        try {
            own = chain.get();
        } catch (SdkException | IllegalStateException e) {
            if (!chainFailureLogged) {
                chainFailureLogged = true;
                LOG.warnf("SigV4: the AWS default credentials chain gives the engine no credentials (%s); every "
                        + "request is refused until it does, or set rekognition.auth.credentials",
                        LogText.clean(e.getMessage()));
            }
            return Optional.empty();
        }
        return own != null && own.accessKeyId().equals(accessKeyId) ? Optional.of(own) : Optional.empty();
    }
}
