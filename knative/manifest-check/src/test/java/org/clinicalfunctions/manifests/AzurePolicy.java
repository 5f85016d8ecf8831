package org.clinicalfunctions.manifests;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Azure Policy definitions a function's pod must pass on AKS, each re-implemented from the semantics of its
 * Gatekeeper template with the parameters of our assignment (shared/reference/reliability-security.md, section 2.1).
 * The first eight are the members of the initiative "Kubernetes cluster pod security restricted standards for
 * Linux-based workloads" (42b8ef37-b724-4e24-bbc8-7a7708edfe00, 2.5.0); the others are assigned one by one.
 * Names are the policies' display names as the reference gives them; ids are the leading part of their GUIDs.
 */
public enum AzurePolicy {

    NO_PRIVILEGED_CONTAINERS("95edb821", "Kubernetes cluster should not allow privileged containers",
            PodPolicyRules::noPrivilegedContainers),
    NO_PRIVILEGE_ESCALATION("1c6e92c9", "Kubernetes clusters should not allow container privilege escalation",
            PodPolicyRules::noPrivilegeEscalation),
    HOST_NETWORK_AND_PORTS("82985f06", "Kubernetes cluster pods should only use approved host network and port range",
            PodPolicyRules::hostNetworkAndPorts),
    HOST_PID_AND_IPC("47a1ee2f",
            "Kubernetes cluster containers should not share host process ID or host IPC namespace",
            PodPolicyRules::hostProcessIdAndIpc),
    ALLOWED_CAPABILITIES("c26596ff", "Kubernetes cluster containers should only use allowed capabilities",
            PodPolicyRules::allowedCapabilities),
    ALLOWED_VOLUME_TYPES("16697877", "Kubernetes cluster pods should only use allowed volume types",
            PodPolicyRules::allowedVolumeTypes),
    ALLOWED_USERS_AND_GROUPS("f06ddb64",
            "Kubernetes cluster pods and containers should only run with approved user and group IDs",
            PodPolicyRules::allowedUsersAndGroups),
    ALLOWED_SECCOMP_PROFILES("975ce327",
            "Kubernetes cluster pods and containers should only use allowed seccomp profiles",
            PodPolicyRules::allowedSeccompProfiles),
    READ_ONLY_ROOT_FILESYSTEM("df49d893", "Containers should run with a read only root file system",
            PodPolicyRules::readOnlyRootFilesystem),
    ALLOWED_IMAGES("febd0533", "Containers should only use allowed images", PodPolicyRules::allowedImages),
    NO_LATEST_TAG("021f8078", "Container images should not include latest image tag", PodPolicyRules::noLatestTag),
    RESOURCE_LIMITS("e345eecc", "CPU and memory resource limits should not exceed the specified limits",
            PodPolicyRules::resourceLimits),
    RESOURCE_REQUESTS("03a4ecdb", "CPU and memory resource requests must be defined",
            PodPolicyRules::resourceRequests),
    PROBES("b1a9997f", "Ensure readiness or liveness probes configured", PodPolicyRules::probes),
    NO_API_CREDENTIALS("423dd1ba", "Should disable automounting API credentials", PodPolicyRules::noApiCredentials),
    NOT_DEFAULT_NAMESPACE("9f061a12", "Should not use the default namespace", PodPolicyRules::notDefaultNamespace);

    private final String id;
    private final String displayName;
    private final Function<JsonNode, List<Violation>> rule;

    AzurePolicy(String id, String displayName, Function<JsonNode, List<Violation>> rule) {
        this.id = id;
        this.displayName = displayName;
        this.rule = rule;
    }

    /** The leading eight hex digits of the policy definition's GUID. */
    public String id() {
        return id;
    }

    /** The display name in the Azure portal. */
    public String displayName() {
        return displayName;
    }

    /** The code violations of this policy carry, e.g. {@code azure.95edb821}. */
    public String code() {
        return "azure." + id;
    }

    /** The violations of one effective pod. */
    public List<Violation> check(JsonNode pod) {
        return rule.apply(pod).stream().map(v -> new Violation(code(), v.location(), v.message())).toList();
    }
}
