package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetaSendErrorsTest {

    @ParameterizedTest(name = "{0} on HTTP {1} → {2}")
    @CsvSource({"130429, 400, RETRY", "131056, 400, RETRY", "80007, 400, RETRY", "131000, 500, RETRY",
            "131016, 503, RETRY", ", 500, RETRY", ", 502, RETRY", ", 429, RETRY",
            "131047, 400, FAIL", "131026, 400, FAIL", "131049, 400, FAIL", "131050, 400, FAIL", "131051, 400, FAIL",
            "131062, 400, FAIL", "132000, 400, FAIL", "132001, 404, FAIL", "132005, 400, FAIL", "132007, 400, FAIL",
            "132012, 400, FAIL", "132015, 400, FAIL", "132016, 400, FAIL", "368, 403, FAIL", "100, 400, FAIL",
            "999999, 400, FAIL", ", 400, FAIL", "190, 401, STOP_SENDING"})
    void eachCodeHasOneAction(Integer code, int status, MetaSendErrors.Action action) {
        assertThat(MetaSendErrors.action(code, status)).isEqualTo(action);
    }

    @ParameterizedTest
    @CsvSource({"131047, 24 hours", "131050, stopped marketing", "132015, paused", "132016, disabled"})
    void theNamedFailuresSayWhatTheyMean(int code, String meaning) {
        assertThat(MetaSendErrors.meaning(code)).contains(meaning);
        assertThat(MetaSendErrors.marksTemplate(code)).isEqualTo(code == 132015 || code == 132016);
        assertThat(MetaSendErrors.recordsOptOut(code)).isEqualTo(code == 131050);
    }
}
