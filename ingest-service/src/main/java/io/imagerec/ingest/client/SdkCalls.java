package io.imagerec.ingest.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/** An async SDK call as a Uni that fails with the SDK's own exception, not the future's wrapper. */
final class SdkCalls {

    private SdkCalls() {
    }

    static <T> Uni<T> call(Supplier<CompletableFuture<T>> call) {
        return Uni.createFrom().completionStage(call).onFailure(CompletionException.class)
                .transform(SdkCalls::unwrap);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
