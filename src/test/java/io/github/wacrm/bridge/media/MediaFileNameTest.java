package io.github.wacrm.bridge.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaFileNameTest {

    @Test
    void aMimeTypeIsReadWithoutItsParameters() {
        assertThat(MediaFileName.baseType("audio/ogg; codecs=opus")).isEqualTo("audio/ogg");
        assertThat(MediaFileName.extension("audio/ogg; codecs=opus")).isEqualTo("ogg");
        assertThat(MediaFileName.baseType("Image/JPEG")).isEqualTo("image/jpeg");
        assertThat(MediaFileName.baseType("not a type")).isEqualTo("application/octet-stream");
        assertThat(MediaFileName.baseType(null)).isEqualTo("application/octet-stream");
        assertThat(MediaFileName.extension("application/x-unknown")).isEqualTo("bin");
    }

    @Test
    void aDocumentKeepsItsOwnNameWithoutPathsOrCharactersNoFileSystemTakes() {
        assertThat(MediaFileName.of("../../etc/passwd", "document", "wamid.X", "text/plain")).isEqualTo("passwd.txt");
        assertThat(MediaFileName.of("C:\\Users\\ana\\Счёт 4521.pdf", "document", "wamid.X", "application/pdf"))
                .isEqualTo("Счёт 4521.pdf");
        assertThat(MediaFileName.of("in\u0000voice\u202e<1>|?.pdf", "document", "wamid.X", "application/pdf"))
                .isEqualTo("invoice1.pdf");
        assertThat(MediaFileName.of("  ...hidden  ", "document", "wamid.X", "application/pdf")).isEqualTo("hidden.pdf");
    }

    @Test
    void aFileWithoutAUsableNameIsNamedAfterItsTypeAndMessage() {
        assertThat(MediaFileName.of(null, "image", "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQz-RUN-image", "image/jpeg"))
                .isEqualTo("whatsapp-image-GBQzRUNimage.jpg");
        assertThat(MediaFileName.of("///", "audio", null, "audio/ogg; codecs=opus")).isEqualTo("whatsapp-audio.ogg");
    }

    @Test
    void aLongNameIsCutToTwoHundredCharactersKeepingItsExtension() {
        String name = MediaFileName.of("a".repeat(500) + ".pdf", "document", "wamid.X", "application/pdf");
        assertThat(name).hasSize(MediaFileName.MAX_LENGTH).endsWith(".pdf");
        assertThat(MediaFileName.title("report.final.pdf")).isEqualTo("report.final");
    }
}
