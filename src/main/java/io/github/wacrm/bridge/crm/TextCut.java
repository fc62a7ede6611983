package io.github.wacrm.bridge.crm;

/**
 * Cuts text to what a CRM field holds. Salesforce (and HubSpot) count a text's length in UTF-16 code units, so an emoji
 * outside the Basic Multilingual Plane counts 2. A cut never splits a surrogate pair, and never a character from what
 * joins it: combining marks, variation selectors, emoji skin tones and tags, the keycap mark, the zero-width joiner of
 * an emoji sequence (👩‍💻 is three code points that read as one), and the two regional indicators of a flag. The text
 * then ends at the last whole character that fits.
 */
public final class TextCut {

    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final int COMBINING_KEYCAP = 0x20E3;

    private TextCut() {
    }

    /** {@code text} cut to at most {@code limit} UTF-16 code units; null stays null. */
    public static String toLength(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        int end = limit;
        if (end > 0 && Character.isLowSurrogate(text.charAt(end)) && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        while (end > 0 && joinsPrevious(text, end)) {
            end = text.offsetByCodePoints(end, -1);
        }
        return text.substring(0, end);
    }

    /** Whether the character starting at {@code index} belongs with the one before it. */
    private static boolean joinsPrevious(String text, int index) {
        int next = text.codePointAt(index);
        int previous = text.codePointBefore(index);
        if (previous == ZERO_WIDTH_JOINER || extends_(next)) {
            return true;
        }
        // a flag is two regional indicators: a cut between the halves of a pair splits it
        return isRegionalIndicator(next) && isRegionalIndicator(previous) && regionalIndicatorsBefore(text, index) % 2 == 1;
    }

    private static boolean extends_(int codePoint) {
        int type = Character.getType(codePoint);
        return codePoint == ZERO_WIDTH_JOINER || codePoint == COMBINING_KEYCAP
                || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || (codePoint >= 0xFE00 && codePoint <= 0xFE0F)        // variation selectors
                || (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF)      // emoji skin tones
                || (codePoint >= 0xE0020 && codePoint <= 0xE007F);     // tags (subdivision flags)
    }

    private static boolean isRegionalIndicator(int codePoint) {
        return codePoint >= 0x1F1E6 && codePoint <= 0x1F1FF;
    }

    private static int regionalIndicatorsBefore(String text, int index) {
        int count = 0;
        int at = index;
        while (at > 0 && isRegionalIndicator(text.codePointBefore(at))) {
            count++;
            at = text.offsetByCodePoints(at, -1);
        }
        return count;
    }
}
