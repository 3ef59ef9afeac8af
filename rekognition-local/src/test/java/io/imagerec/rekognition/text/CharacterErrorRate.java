package io.imagerec.rekognition.text;

import java.util.List;

/**
 * Character error rate of expected lines against detected lines: each expected line is matched to the
 * detected line closest to it (edit distance), and the rate is the summed distance over the summed
 * expected length. Whitespace is collapsed first, as the test data's README asks.
 */
final class CharacterErrorRate {

    int errors;
    int characters;

    void add(String expected, List<String> detected, boolean ignoreCase) {
        String want = normalise(expected, ignoreCase);
        int best = want.length();
        for (String d : detected) {
            best = Math.min(best, distance(want, normalise(d, ignoreCase)));
        }
        errors += best;
        characters += want.length();
    }

    double rate() {
        return characters == 0 ? 0 : (double) errors / characters;
    }

    static String normalise(String s, boolean ignoreCase) {
        String collapsed = s.trim().replaceAll("\\s+", " ");
        return ignoreCase ? collapsed.toLowerCase(java.util.Locale.ROOT) : collapsed;
    }

    static int distance(String a, String b) {
        return distance(a, b, false);
    }

    /**
     * Edit distance of {@code a} to {@code b}, or, with {@code withinB}, to the closest stretch of
     * {@code b} (free start and end in b).
     */
    static int distance(String a, String b, boolean withinB) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = withinB ? 0 : j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        if (!withinB) {
            return previous[b.length()];
        }
        int best = Integer.MAX_VALUE;
        for (int value : previous) {
            best = Math.min(best, value);
        }
        return best;
    }
}
