package io.github.wacrm.bridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.yaml.snakeyaml.Yaml;

class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void aChangedFileIsHandedOnOnceAndAMissingOneLeavesTheValueInUse() throws Exception {
        Files.writeString(dir.resolve("app-secrets"), "first\n");
        SecretFiles files = new SecretFiles(dir.toString(), 60_000);
        List<String> applied = new ArrayList<>();
        files.watch("app-secrets", applied::add);

        files.check();
        assertThat(applied).as("the value at start is already in use").isEmpty();
        Files.writeString(dir.resolve("app-secrets"), "second,first");
        files.check();
        files.check();
        assertThat(applied).containsExactly("second,first");
        Files.delete(dir.resolve("app-secrets"));
        files.check();
        assertThat(applied).containsExactly("second,first");
        files.destroy();
    }

    @Test
    void aFileThatAppearsLaterIsAppliedAndAValueTheUserRefusesIsTriedAgain() throws Exception {
        SecretFiles files = new SecretFiles(dir.toString(), 60_000);
        List<String> applied = new ArrayList<>();
        boolean[] refuse = {true};
        files.watch("operator-token", value -> {
            if (refuse[0]) {
                throw new IllegalArgumentException("not now");
            }
            applied.add(value);
        });
        Files.writeString(dir.resolve("operator-token"), "t1");
        files.check();
        assertThat(applied).isEmpty();
        refuse[0] = false;
        files.check();
        assertThat(applied).containsExactly("t1");
        files.destroy();
    }

    @Test
    void withoutADirectoryNothingIsReadOrWatched() {
        SecretFiles files = new SecretFiles("", 10);
        files.watch("app-secrets", value -> {
            throw new AssertionError("no file to read");
        });
        files.check();
        assertThat(files.read("app-secrets")).isNull();
        files.destroy();
    }

    @Test
    void everyKeyOfTheSecretTemplateIsReadFromItsFileAtStart() throws Exception {
        java.util.Map<String, Object> template = new Yaml().load(Files.readString(
                Path.of("k8s/base/secret.template.yaml")));
        String application = Files.readString(Path.of("application.yaml"));
        assertThat(application).contains("optional:configtree:${WHATSAPP_SECRETS_DIR:/etc/whatsapp-bridge/secrets}/")
                .contains("dir: ${WHATSAPP_SECRETS_DIR:/etc/whatsapp-bridge/secrets}");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> keys = (java.util.Map<String, Object>) template.get("stringData");
        assertThat(keys).isNotEmpty();
        keys.keySet().forEach(key -> assertThat(application)
                .as("application.yaml prefers the file " + key + " to its environment variable")
                .contains("${" + key + ":${"));
    }

    @Test
    void rolesComeFromAListOrOneSeparatedString() {
        assertThat(Credentials.roles(List.of("operator", " portal-setup"))).containsExactly("operator", "portal-setup");
        assertThat(Credentials.roles("operator portal-setup,dead-letter-replay"))
                .containsExactly("operator", "portal-setup", "dead-letter-replay");
        assertThat(Credentials.roles(null)).isEmpty();
        assertThat(Credentials.roles(42)).isEmpty();
    }
}
