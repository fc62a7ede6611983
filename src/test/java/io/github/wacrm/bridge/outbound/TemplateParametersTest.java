package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class TemplateParametersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POSITIONAL = "[{\"type\":\"BODY\",\"text\":\"Your order {{1}} is {{2}}.\"}]";
    private static final String NAMED = "[{\"type\":\"BODY\",\"text\":\"Hi {{first_name}}, {{ code }} is yours\"}]";

    @Test
    void positionalTemplatesTakeExactlyTheirCountInOrder() throws Exception {
        assertThat(TemplateParameters.mismatch(POSITIONAL, "POSITIONAL", json("[\"#1\", \"shipped\"]"))).isNull();
        assertThat(TemplateParameters.mismatch(POSITIONAL, "POSITIONAL", json("[\"#1\"]"))).contains("takes 2");
        assertThat(TemplateParameters.mismatch(POSITIONAL, "POSITIONAL", json("{\"1\": \"x\"}"))).contains("array");
        assertThat(TemplateParameters.mismatch(POSITIONAL, "POSITIONAL", null)).contains("none were given");
        assertThat(TemplateParameters.components(POSITIONAL, "POSITIONAL", json("[\"#1\", \"shipped\"]")).toString())
                .isEqualTo("[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"#1\"},"
                        + "{\"type\":\"text\",\"text\":\"shipped\"}]}]");
    }

    @Test
    void namedTemplatesTakeExactlyTheirNamesEachSentWithItsName() throws Exception {
        assertThat(TemplateParameters.mismatch(NAMED, "NAMED", json("{\"code\": \"A1\", \"first_name\": \"Ana\"}")))
                .isNull();
        assertThat(TemplateParameters.mismatch(NAMED, "NAMED", json("{\"first_name\": \"Ana\"}"))).contains("code");
        assertThat(TemplateParameters.mismatch(NAMED, "NAMED", json("[\"Ana\", \"A1\"]"))).contains("object");
        JsonNode parameters = TemplateParameters.components(NAMED, "NAMED",
                json("{\"code\": \"A1\", \"first_name\": \"Ana\"}")).path(0).path("parameters");
        assertThat(parameters.path(0).path("parameter_name").asText()).isEqualTo("first_name");
        assertThat(parameters.path(0).path("text").asText()).isEqualTo("Ana");
        assertThat(parameters.path(1).path("parameter_name").asText()).isEqualTo("code");
    }

    @Test
    void theBodyIsRenderedAsTheCustomerReadsIt() throws Exception {
        assertThat(TemplateParameters.render(POSITIONAL, "POSITIONAL", json("[\"#1\", \"$5 off\"]")))
                .isEqualTo("Your order #1 is $5 off.");
        assertThat(TemplateParameters.render(NAMED, "NAMED", json("{\"code\": \"A1\", \"first_name\": \"Ana\"}")))
                .isEqualTo("Hi Ana, A1 is yours");
    }

    @Test
    void aTemplateWithoutParametersTakesNoneAndSendsNoComponents() throws Exception {
        String plain = "[{\"type\":\"BODY\",\"text\":\"Thanks for writing.\"}]";
        assertThat(TemplateParameters.mismatch(plain, "POSITIONAL", null)).isNull();
        assertThat(TemplateParameters.components(plain, "POSITIONAL", null)).isEmpty();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
