package io.imagerec.security;

/** The key store (S3) could not be read, so no key can be checked now: 503, try again. */
public final class KeysUnavailableException extends RuntimeException {

    KeysUnavailableException(Throwable cause) {
        super("API keys cannot be checked right now: " + cause.getClass().getSimpleName(), cause);
    }
}
