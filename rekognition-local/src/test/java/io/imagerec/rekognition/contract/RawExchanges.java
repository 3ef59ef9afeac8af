package io.imagerec.rekognition.contract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Records each exchange the SDK client makes as it went over the wire: the request's
 * {@code X-Amz-Target}, and the response's status, {@code x-amzn-ErrorType} and raw body, before the
 * SDK unmarshals it (and silently drops members it does not know). The body is handed on unchanged.
 */
final class RawExchanges implements ExecutionInterceptor {

    record Exchange(String target, int status, String errorType, byte[] body) {
        String operation() {
            return target == null ? null : target.substring(target.indexOf('.') + 1);
        }
    }

    private final List<Exchange> recorded = new ArrayList<>();

    @Override
    public synchronized Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
            ExecutionAttributes attributes) {
        byte[] body;
        try (InputStream in = context.responseBody().orElse(InputStream.nullInputStream())) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recorded.add(new Exchange(context.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null),
                context.httpResponse().statusCode(),
                context.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse(null), body));
        return Optional.of(new ByteArrayInputStream(body));
    }

    /** The exchanges since the last call, oldest first; forgets them. */
    synchronized List<Exchange> drain() {
        List<Exchange> out = List.copyOf(recorded);
        recorded.clear();
        return out;
    }
}
