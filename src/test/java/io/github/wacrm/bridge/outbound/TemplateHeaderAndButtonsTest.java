package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * A template's header and buttons against a request's: a media header needs its media (a link or an id, of the
 * template's format), a TEXT header with a variable its text, a URL button with a variable its suffix, a COPY_CODE or
 * OTP button its code; a quick reply may take a payload; nothing the template does not take is accepted. The send's
 * components put the header first and the buttons last, as Meta reads them.
 */
class TemplateHeaderAndButtonsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABEL = "[{\"type\":\"HEADER\",\"format\":\"DOCUMENT\"},{\"type\":\"BODY\",\"text\":"
            + "\"Label for {{1}}\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"URL\",\"text\":\"Track\",\"url\":"
            + "\"https://track.example.com/{{1}}\"},{\"type\":\"QUICK_REPLY\",\"text\":\"Wrong address\"}]}]";

    @Test
    void aMediaHeaderNeedsItsMediaOfTheTemplatesFormatByLinkOrId() throws Exception {
        JsonNode buttons = json("{\"0\": \"4521\"}");
        assertThat(mismatch(LABEL, null, buttons)).contains("DOCUMENT").contains("header.document");
        assertThat(mismatch(LABEL, "{\"image\": {\"link\": \"https://x.example/a.png\"}}", buttons))
                .contains("header.document");
        assertThat(mismatch(LABEL, "{\"document\": {\"link\": \"http://x.example/a.pdf\"}}", buttons))
                .contains("https link or a media id");
        assertThat(mismatch(LABEL, "{\"document\": {\"link\": \"https://x.example/a.pdf\", \"id\": \"123\"}}", buttons))
                .contains("either");
        assertThat(mismatch(LABEL, "{\"document\": {\"id\": \"1234567890\", \"caption\": \"x\"}}", buttons))
                .contains("not caption");
        assertThat(mismatch(LABEL, "{\"document\": {\"link\": \"https://x.example/a.pdf\", \"filename\": \"label.pdf\"}}",
                buttons)).isNull();
        assertThat(mismatch(LABEL, "{\"document\": {\"id\": \"1234567890\"}}", buttons)).isNull();
    }

    @Test
    void buttonsTakeExactlyTheValuesTheirTypesNeed() throws Exception {
        String header = "{\"document\": {\"id\": \"1234567890\"}}";
        assertThat(mismatch(LABEL, header, null)).contains("button 0 (URL)");
        assertThat(mismatch(LABEL, header, json("{\"0\": \"4521\", \"1\": \"wrong-address\"}"))).isNull();
        assertThat(mismatch(LABEL, header, json("{\"0\": \"4521\", \"2\": \"x\"}"))).contains("no button 2");
        assertThat(mismatch(LABEL, header, json("[\"4521\"]"))).contains("object by button index");
        String call = "[{\"type\":\"BODY\",\"text\":\"Call us\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":"
                + "\"PHONE_NUMBER\",\"phone_number\":\"+16505551234\"}]}]";
        assertThat(mismatch(call, null, json("{\"0\": \"x\"}"))).contains("takes no value");
        String code = "[{\"type\":\"BODY\",\"text\":\"{{1}} is your code\"},{\"type\":\"BUTTONS\",\"buttons\":"
                + "[{\"type\":\"OTP\",\"otp_type\":\"COPY_CODE\"}]}]";
        assertThat(mismatch(code, null, null)).contains("button 0 (OTP)");
    }

    @Test
    void aTextHeaderWithAVariableTakesItsTextAndOneWithoutTakesNone() throws Exception {
        String named = "[{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"Hello {{name}}\"},{\"type\":\"BODY\","
                + "\"text\":\"Welcome\"}]";
        assertThat(TemplateHeaderAndButtons.mismatch(named, "NAMED", null, null)).contains("header.text");
        assertThat(TemplateHeaderAndButtons.mismatch(named, "NAMED", json("{\"text\": \"Ana\"}"), null)).isNull();
        ArrayNode sent = JSON.createArrayNode();
        TemplateHeaderAndButtons.addTo(sent, named, "NAMED", json("{\"text\": \"Ana\"}"), null);
        assertThat(sent.path(0).path("parameters").path(0).path("parameter_name").asText()).isEqualTo("name");
        String fixed = "[{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"Hello\"},{\"type\":\"BODY\",\"text\":\"x\"}]";
        assertThat(TemplateHeaderAndButtons.mismatch(fixed, "POSITIONAL", json("{\"text\": \"Ana\"}"), null))
                .contains("takes no parameter");
        assertThat(TemplateHeaderAndButtons.mismatch(fixed, "POSITIONAL", null, null)).isNull();
    }

    @Test
    void theSendPutsTheHeaderFirstAndTheButtonsLast() throws Exception {
        ArrayNode sent = TemplateParameters.components(LABEL, "POSITIONAL", json("[\"#4521\"]"));
        TemplateHeaderAndButtons.addTo(sent, LABEL, "POSITIONAL", json("{\"document\": {\"id\": \"1234567890\", "
                + "\"filename\": \"label.pdf\"}}"), json("{\"0\": \"4521\", \"1\": \"wrong-address\"}"));
        assertThat(sent).extracting(c -> c.path("type").asText()).containsExactly("header", "body", "button", "button");
        assertThat(sent.path(0).path("parameters").path(0).path("document").path("filename").asText())
                .isEqualTo("label.pdf");
        assertThat(sent.path(2).path("sub_type").asText()).isEqualTo("url");
        assertThat(sent.path(2).path("index").asText()).isEqualTo("0");
        assertThat(sent.path(2).path("parameters").path(0).path("text").asText()).isEqualTo("4521");
        assertThat(sent.path(3).path("sub_type").asText()).isEqualTo("quick_reply");
        assertThat(sent.path(3).path("parameters").path(0).path("payload").asText()).isEqualTo("wrong-address");
    }

    private static String mismatch(String components, String header, JsonNode buttons) throws Exception {
        return TemplateHeaderAndButtons.mismatch(components, "POSITIONAL", header == null ? null : json(header), buttons);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
