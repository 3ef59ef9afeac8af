package io.imagerec.rekognition.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/** Greedy suppression of duplicate detections, shared by the object and face detectors. */
public final class Overlaps {

    private Overlaps() {
    }

    /**
     * Walks {@code bestFirst} in order and keeps each item that is not a duplicate of one already kept.
     *
     * @param duplicate (kept, candidate) -> whether the candidate is the same thing as the kept one
     */
    public static <T> List<T> keepFirst(List<T> bestFirst, BiPredicate<T, T> duplicate) {
        List<T> kept = new ArrayList<>();
        for (T candidate : bestFirst) {
            if (kept.stream().noneMatch(k -> duplicate.test(k, candidate))) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
