package io.github.wacrm.bridge.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class Sha256TextTest {

    private static final String HEX = "3f9d94d399fa61c191bc1d4ca71375a035cd9b9f5b1128e1f0963a415c16b0cc";

    @Test
    void theHexAndTheBase64FormsNameTheSameDigest() {
        byte[] digest = HexFormat.of().parseHex(HEX);
        assertThat(Sha256Text.decode(HEX)).isEqualTo(digest);
        assertThat(Sha256Text.decode(HEX.toUpperCase())).isEqualTo(digest);
        assertThat(Sha256Text.decode(Base64.getEncoder().encodeToString(digest))).isEqualTo(digest);
    }

    @Test
    void referenceSamplesAndTruncatedValuesNameNoDigest() {
        // as found in real bodies: the sample values of Meta's reference, a value cut short, a short hash
        assertThat(Sha256Text.decode("IMAGE_HASH")).isNull();
        assertThat(Sha256Text.decode("SfInY0gGKTsJlUWbwxC1k+FAD0FZHv")).isNull();
        assertThat(Sha256Text.decode("4654+8g=")).isNull();
        assertThat(Sha256Text.decode("a1b2c3d4e5f6...")).isNull();
        assertThat(Sha256Text.decode(null)).isNull();
    }
}
