package io.github.wacrm.bridge.crm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A CRM counts UTF-16 code units; a cut never leaves half a character. */
class TextCutTest {

    @Test
    void textThatFitsIsKeptAsItIs() {
        String text = "Hola 😀";
        assertThat(TextCut.toLength(text, 7)).isSameAs(text);
        assertThat(TextCut.toLength(null, 3)).isNull();
    }

    @Test
    void anEmojiOutsideTheBasicPlaneCountsTwo() {
        String emojis = "😀".repeat(40_000);
        String cut = TextCut.toLength(emojis, 32_768);
        assertThat(cut.length()).isEqualTo(32_768);
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(16_384);
        assertThat(TextCut.toLength("ab😀", 3)).as("never half a surrogate pair").isEqualTo("ab");
    }

    @Test
    void anEmojiSequenceIsKeptWholeOrLeftOut() {
        String technologist = "\uD83D\uDC69\u200D\uD83D\uDCBB"; // 👩‍💻: woman, zero-width joiner, laptop (5 units)
        assertThat(TextCut.toLength("ok " + technologist, 6)).isEqualTo("ok ");
        assertThat(TextCut.toLength("ok " + technologist, 5)).isEqualTo("ok ");
        assertThat(TextCut.toLength("ok " + technologist + "!", 8)).isEqualTo("ok " + technologist);
        String thumbsUpDark = "\uD83D\uDC4D\uD83C\uDFFF"; // 👍🏿: thumbs up, skin tone
        assertThat(TextCut.toLength("a" + thumbsUpDark, 3)).isEqualTo("a");
        String heart = "\u2764\uFE0F"; // ❤️: heart, variation selector
        assertThat(TextCut.toLength("a" + heart, 2)).isEqualTo("a");
        String keycap = "1\uFE0F\u20E3"; // 1️⃣
        assertThat(TextCut.toLength("a" + keycap, 3)).isEqualTo("a");
    }

    @Test
    void aFlagIsNeverSplitIntoItsTwoLetters() {
        String mexico = "\uD83C\uDDF2\uD83C\uDDFD"; // 🇲🇽
        String brazil = "\uD83C\uDDE7\uD83C\uDDF7"; // 🇧🇷
        assertThat(TextCut.toLength(mexico + brazil, 6)).isEqualTo(mexico);
        assertThat(TextCut.toLength(mexico + brazil, 4)).isEqualTo(mexico);
        assertThat(TextCut.toLength(mexico, 2)).isEmpty();
    }

    @Test
    void anAccentWrittenAsACombiningMarkStaysWithItsLetter() {
        String cafe = "cafe\u0301"; // café with a combining acute accent
        assertThat(TextCut.toLength(cafe, 4)).isEqualTo("caf");
    }
}
