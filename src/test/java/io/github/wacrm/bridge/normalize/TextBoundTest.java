package io.github.wacrm.bridge.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class TextBoundTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aCutNeverSplitsAnEmoji() {
        String text = "ab👋cd";
        assertThat(TextBound.cut(text, 3)).isEqualTo("ab👋");
        assertThat(TextBound.cut(text, 2)).isEqualTo("ab");
        assertThat(TextBound.cut(text, 5)).isSameAs(text);
        assertThat(TextBound.cut(null, 5)).isNull();
    }

    @Test
    void aStringOfMoreCharsThanTheBoundButFewerCodePointsIsKept() {
        String emojis = "👋".repeat(3); // 6 chars, 3 code points
        assertThat(TextBound.cut(emojis, 4)).isSameAs(emojis);
    }

    @Test
    void everyLongTextOfThePayloadIsCutAndNamedButMetasValueIsNot() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("""
                {"type":"text","text":"0123456789","interactive":{"body":"abcdefghij","title":"ok"},
                 "contacts":[{"name":{"formatted_name":"ABCDEFGHIJ"}}],"value":{"raw":"klmnopqrstu"}}""");

        TextBound.apply(payload, 5);

        assertThat(payload.path("text").asText()).isEqualTo("01234");
        assertThat(payload.path("interactive").path("body").asText()).isEqualTo("abcde");
        assertThat(payload.path("interactive").path("title").asText()).isEqualTo("ok");
        assertThat(payload.path("contacts").path(0).path("name").path("formatted_name").asText()).isEqualTo("ABCDE");
        assertThat(payload.path("value").path("raw").asText()).isEqualTo("klmnopqrstu");
        assertThat(payload.path("truncated").toString())
                .isEqualTo("[\"text\",\"interactive.body\",\"contacts.0.name.formatted_name\"]");
    }

    @Test
    void applyingTwiceKeepsWhatTheFirstCutNamed() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"text\":\"0123456789\"}");
        TextBound.apply(payload, 5);
        payload.put("reason", "abcdefghij");

        TextBound.apply(payload, 5);

        assertThat(payload.path("truncated").toString()).isEqualTo("[\"text\",\"reason\"]");
    }
}
