package io.imagerec.rekognition.moderation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * nsfwjs' five classes mapped onto Rekognition's moderation taxonomy, version 7, as far as they reach.
 *
 * <ul>
 *   <li>{@code Explicit} (L1) and {@code Explicit Nudity} (L2): P(Porn) + P(Hentai), explicit content as a
 *       photo or as a drawing (the classes are exclusive, so their probabilities add up);</li>
 *   <li>{@code Non-Explicit Nudity of Intimate parts and Kissing} (L1) and {@code Non-Explicit Nudity}
 *       (L2): P(Sexy), suggestive photos without explicit nudity;</li>
 *   <li>content type {@code Illustrated}: P(Drawing) + P(Hentai), drawings, paintings and comics.</li>
 * </ul>
 * Confidence is 100 × that probability, the same for a parent as for its child; a parent is present
 * whenever its child is. No level-3 label is produced: the classifier does not say which body part or
 * act it saw. Every other category (Violence, Visually Disturbing, Drugs &amp; Tobacco, Alcohol, Rude
 * Gestures, Gambling, Hate Symbols, Swimwear or Underwear, Explicit Sexual Activity, Sex Toys, ...) is
 * never produced.
 */
final class ModerationTaxonomy {

    static final String EXPLICIT = "Explicit";
    static final String EXPLICIT_NUDITY = "Explicit Nudity";
    static final String NON_EXPLICIT = "Non-Explicit Nudity of Intimate parts and Kissing";
    static final String NON_EXPLICIT_NUDITY = "Non-Explicit Nudity";
    static final String ILLUSTRATED = "Illustrated";
    /** Rekognition's moderation model version whose taxonomy these names come from. */
    static final String MODEL_VERSION = "7.0";

    private ModerationTaxonomy() {
    }

    /** Labels at or above {@code minConfidence}, most confident first, each parent before its child. */
    static List<ModerationLabel> labels(ContentClassifier.Scores s, float minConfidence) {
        List<ModerationLabel> labels = new ArrayList<>();
        add(labels, EXPLICIT, EXPLICIT_NUDITY, confidence(s.porn() + s.hentai()), minConfidence);
        add(labels, NON_EXPLICIT, NON_EXPLICIT_NUDITY, confidence(s.sexy()), minConfidence);
        labels.sort(Comparator.comparingDouble((ModerationLabel l) -> -l.confidence())
                .thenComparingInt(ModerationLabel::taxonomyLevel));
        return labels;
    }

    static List<ContentType> contentTypes(ContentClassifier.Scores s, float minConfidence) {
        float illustrated = confidence(s.drawing() + s.hentai());
        return illustrated >= minConfidence ? List.of(new ContentType(illustrated, ILLUSTRATED)) : List.of();
    }

    private static void add(List<ModerationLabel> labels, String top, String second, float confidence,
            float minConfidence) {
        if (confidence >= minConfidence) {
            labels.add(new ModerationLabel(confidence, top, "", 1));
            labels.add(new ModerationLabel(confidence, second, top, 2));
        }
    }

    static float confidence(float probability) {
        return Math.min(100f, Math.max(0f, 100f * probability));
    }
}
