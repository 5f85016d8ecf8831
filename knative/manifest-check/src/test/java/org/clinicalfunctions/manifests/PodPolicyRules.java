package org.clinicalfunctions.manifests;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rules of {@link AzurePolicy}, one method per policy, over an effective pod ({@link EffectivePod}). Each
 * walks {@code spec.containers} and {@code spec.initContainers} as the Gatekeeper templates do. Locations name
 * containers by name, so an exception can name the container it excuses.
 */
final class PodPolicyRules {

    /** The restricted initiative's allowedCapabilities default. */
    static final Set<String> ALLOWED_CAPABILITIES = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD",
            "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
            "AUDIT_WRITE");
    /** The restricted initiative's allowed volume types. */
    static final Set<String> ALLOWED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");
    /** allowedContainerImagesRegex of our assignment: our ACR, by digest or by a version tag (immutable there). */
    static final Pattern ALLOWED_IMAGE = Pattern.compile(
            "^clinicalfunctionsacr\\.azurecr\\.io/[a-z0-9./-]+(@sha256:[0-9a-f]{64}|:[0-9][0-9A-Za-z._-]*)$");
    /** cpuLimit and memoryLimit of our assignment. */
    static final BigDecimal CPU_CEILING = new BigDecimal("2");
    static final BigDecimal MEMORY_CEILING = new BigDecimal(2L * 1024 * 1024 * 1024);

    private static final int MAX_ID = 65535;

    private PodPolicyRules() {
    }

    static List<Violation> noPrivilegedContainers(JsonNode pod) {
        return containers(pod, (c, out) -> require(!c.at("/securityContext/privileged").asBoolean(false), out,
                at(c, "securityContext.privileged"), "must not be true"));
    }

    static List<Violation> noPrivilegeEscalation(JsonNode pod) {
        return containers(pod, (c, out) -> {
            JsonNode escalation = c.at("/securityContext/allowPrivilegeEscalation");
            require(escalation.isBoolean() && !escalation.asBoolean(), out,
                    at(c, "securityContext.allowPrivilegeEscalation"), "must be set to false");
        });
    }

    static List<Violation> hostNetworkAndPorts(JsonNode pod) {
        List<Violation> out = new ArrayList<>();
        require(!pod.at("/spec/hostNetwork").asBoolean(false), out, "spec.hostNetwork", "must not be true");
        out.addAll(containers(pod, (c, found) -> {
            for (JsonNode port : c.path("ports")) {
                require(port.path("hostPort").asInt(0) == 0, found, at(c, "ports.hostPort"),
                        "the approved host port range is 0-0");
            }
        }));
        return out;
    }

    static List<Violation> hostProcessIdAndIpc(JsonNode pod) {
        List<Violation> out = new ArrayList<>();
        require(!pod.at("/spec/hostPID").asBoolean(false), out, "spec.hostPID", "must not be true");
        require(!pod.at("/spec/hostIPC").asBoolean(false), out, "spec.hostIPC", "must not be true");
        return out;
    }

    static List<Violation> allowedCapabilities(JsonNode pod) {
        return containers(pod, (c, out) -> {
            for (JsonNode added : c.at("/securityContext/capabilities/add")) {
                require(ALLOWED_CAPABILITIES.contains(added.asText()), out, at(c, "securityContext.capabilities.add"),
                        "only the initiative's allowed capabilities");
            }
            boolean dropsAll = false;
            for (JsonNode dropped : c.at("/securityContext/capabilities/drop")) {
                dropsAll |= "ALL".equals(dropped.asText());
            }
            require(dropsAll, out, at(c, "securityContext.capabilities.drop"),
                    "requiredDropCapabilities of our assignment is [ALL]");
        });
    }

    static List<Violation> allowedVolumeTypes(JsonNode pod) {
        List<Violation> out = new ArrayList<>();
        for (JsonNode volume : pod.at("/spec/volumes")) {
            volume.fieldNames().forEachRemaining(type -> require("name".equals(type) || ALLOWED_VOLUMES.contains(type),
                    out, "spec.volumes[" + volume.path("name").asText() + "]." + type, "not an allowed volume type"));
        }
        return out;
    }

    static List<Violation> allowedUsersAndGroups(JsonNode pod) {
        JsonNode podContext = pod.at("/spec/securityContext");
        List<Violation> out = containers(pod, (c, found) -> {
            JsonNode user = effective(c, podContext, "runAsUser");
            require(user.canConvertToLong() && user.asLong() != 0, found, at(c, "securityContext.runAsUser"),
                    "MustRunAsNonRoot: an explicit user id other than 0, here or at pod level");
            require(inRange(effective(c, podContext, "runAsGroup")), found, at(c, "securityContext.runAsGroup"),
                    "MustRunAs 1-65535, here or at pod level");
        });
        require(inRange(podContext.path("fsGroup")), out, "spec.securityContext.fsGroup", "MustRunAs 1-65535");
        JsonNode supplemental = podContext.path("supplementalGroups");
        boolean groupsInRange = supplemental.size() > 0;
        for (JsonNode group : supplemental) {
            groupsInRange &= inRange(group);
        }
        require(groupsInRange, out, "spec.securityContext.supplementalGroups", "MustRunAs 1-65535");
        return out;
    }

    static List<Violation> allowedSeccompProfiles(JsonNode pod) {
        JsonNode podContext = pod.at("/spec/securityContext");
        return containers(pod, (c, out) -> require(
                "RuntimeDefault".equals(effective(c, podContext, "seccompProfile").path("type").asText()), out,
                at(c, "securityContext.seccompProfile.type"), "runtime/default, here or at pod level"));
    }

    static List<Violation> readOnlyRootFilesystem(JsonNode pod) {
        return containers(pod, (c, out) -> require(c.at("/securityContext/readOnlyRootFilesystem").asBoolean(false),
                out, at(c, "securityContext.readOnlyRootFilesystem"), "must be true"));
    }

    static List<Violation> allowedImages(JsonNode pod) {
        return containers(pod, (c, out) -> require(ALLOWED_IMAGE.matcher(c.path("image").asText()).matches(), out,
                at(c, "image"), "our ACR, pinned by digest or version tag"));
    }

    static List<Violation> noLatestTag(JsonNode pod) {
        return containers(pod, (c, out) -> {
            String image = c.path("image").asText();
            boolean digest = image.contains("@");
            String tag = digest ? "" : image.substring(Kustomize.imageName(image).length());
            require(digest || !tag.isEmpty() && !":latest".equals(tag), out, at(c, "image"),
                    "a digest or a tag other than latest (no tag means latest)");
        });
    }

    static List<Violation> resourceLimits(JsonNode pod) {
        return containers(pod, (c, out) -> {
            limit(c, "cpu", CPU_CEILING, out);
            limit(c, "memory", MEMORY_CEILING, out);
        });
    }

    static List<Violation> resourceRequests(JsonNode pod) {
        return containers(pod, (c, out) -> {
            for (String resource : List.of("cpu", "memory")) {
                require(c.at("/resources/requests").has(resource), out, at(c, "resources.requests." + resource),
                        "must be defined");
            }
        });
    }

    static List<Violation> probes(JsonNode pod) {
        return containers(pod, (c, out) -> {
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                require(c.has(probe), out, at(c, probe), "requiredProbes are readinessProbe and livenessProbe");
            }
        });
    }

    static List<Violation> noApiCredentials(JsonNode pod) {
        List<Violation> out = new ArrayList<>();
        JsonNode automount = pod.at("/spec/automountServiceAccountToken");
        require(automount.isBoolean() && !automount.asBoolean(), out, "spec.automountServiceAccountToken",
                "must be false");
        return out;
    }

    static List<Violation> notDefaultNamespace(JsonNode pod) {
        List<Violation> out = new ArrayList<>();
        String namespace = pod.at("/metadata/namespace").asText("");
        require(!namespace.isEmpty() && !"default".equals(namespace), out, "metadata.namespace",
                "workloads stay out of the default namespace");
        return out;
    }

    private static void limit(JsonNode container, String resource, BigDecimal ceiling, List<Violation> out) {
        JsonNode value = container.at("/resources/limits").path(resource);
        String location = at(container, "resources.limits." + resource);
        require(!value.isMissingNode(), out, location, "must be set");
        if (!value.isMissingNode()) {
            require(Quantity.parse(value.asText()).compareTo(ceiling) <= 0, out, location,
                    "must not exceed " + ceiling.toPlainString());
        }
    }

    private static JsonNode effective(JsonNode container, JsonNode podContext, String field) {
        JsonNode own = container.path("securityContext").path(field);
        return own.isMissingNode() ? podContext.path(field) : own;
    }

    private static boolean inRange(JsonNode id) {
        return id.canConvertToLong() && id.asLong() >= 1 && id.asLong() <= MAX_ID;
    }

    private static List<Violation> containers(JsonNode pod, BiConsumer<JsonNode, List<Violation>> rule) {
        List<Violation> out = new ArrayList<>();
        for (String list : List.of("initContainers", "containers")) {
            pod.path("spec").path(list).forEach(container -> rule.accept(container, out));
        }
        return out;
    }

    private static String at(JsonNode container, String field) {
        return "spec.containers[" + container.path("name").asText() + "]." + field;
    }

    private static void require(boolean holds, List<Violation> out, String location, String message) {
        if (!holds) {
            out.add(new Violation("azure", location, message));
        }
    }
}
