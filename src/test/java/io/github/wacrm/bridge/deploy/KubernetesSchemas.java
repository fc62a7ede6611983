package io.github.wacrm.bridge.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An object checked against the Kubernetes 1.32 API: the models of client-java 23 are generated from 1.32's OpenAPI,
 * and their {@code validateJsonElement} refuses a field the schema does not have, a missing required field and a
 * field of the wrong shape; reading the object into the model then refuses a value of the wrong type.
 */
final class KubernetesSchemas {

    /** The built-in kinds k8s/ uses, by apiVersion and kind. */
    private static final Map<String, String> MODELS = Map.of(
            "apps/v1/Deployment", "V1Deployment",
            "v1/Service", "V1Service",
            "v1/ConfigMap", "V1ConfigMap",
            "v1/Secret", "V1Secret",
            "v1/ServiceAccount", "V1ServiceAccount",
            "networking.k8s.io/v1/Ingress", "V1Ingress",
            "networking.k8s.io/v1/NetworkPolicy", "V1NetworkPolicy",
            "policy/v1/PodDisruptionBudget", "V1PodDisruptionBudget",
            "autoscaling/v2/HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler");

    private KubernetesSchemas() {
    }

    static boolean isBuiltIn(JsonNode object) {
        return MODELS.containsKey(key(object));
    }

    /** Throws with the schema's complaint when the object is not valid. */
    static void validate(JsonNode object) {
        String model = MODELS.get(key(object));
        if (model == null) {
            throw new AssertionError("not a kind of the Kubernetes API this check knows: " + key(object));
        }
        try {
            Class<?> type = Class.forName("io.kubernetes.client.openapi.models." + model);
            JsonElement json = JsonParser.parseString(object.toString());
            Method validate = type.getMethod("validateJsonElement", JsonElement.class);
            validate.invoke(null, json);
            type.getMethod("fromJson", String.class).invoke(null, object.toString());
        } catch (InvocationTargetException refused) {
            throw new AssertionError(key(object) + " " + object.at("/metadata/name").asText() + ": "
                    + refused.getCause().getMessage(), refused.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }
}
