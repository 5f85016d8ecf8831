package org.clinicalfunctions.deployer;

import java.util.List;

import io.fabric8.knative.serving.v1.TrafficTarget;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;

/**
 * One canary: the candidate revision takes each share of the traffic in turn, is checked, serves for the bake
 * time, and takes the next; the first failed check or step that never becomes Ready rolls everything back to the
 * stable revision. At 100 % the split returns to "latest revision", so the next deployment starts clean.
 */
final class Canary {

    private final Deployer deployer;
    private final String namespace;
    private final String name;
    private final String stable;
    private final String candidate;

    Canary(Deployer deployer, String namespace, String name, String stable, String candidate) {
        this.deployer = deployer;
        this.namespace = namespace;
        this.name = name;
        this.stable = stable;
        this.candidate = candidate;
    }

    Outcome run() {
        ServiceState state = null;
        for (long percent : deployer.settings().steps()) {
            try {
                state = step(percent);
            } catch (KubernetesClientTimeoutException e) {
                deployer.report().accept("service " + name + " step " + percent + "% not Ready in time");
                return deployer.rollBack(namespace, name, stable);
            }
            if (!deployer.check().passes(name, deployer.candidateUrl(namespace, name), percent)) {
                deployer.report().accept("service " + name + " revision " + candidate + " failed its check at "
                        + percent + "%");
                return deployer.rollBack(namespace, name, stable);
            }
            deployer.report().accept("canary " + percent + "%: " + state);
            pause();
        }
        return new Outcome(name, Outcome.Result.PROMOTED, state);
    }

    private ServiceState step(long percent) {
        if (percent >= 100) {
            return deployer.shift(namespace, name, List.of(Deployer.target(null, 100L, null)),
                    s -> s.traffic().contains(candidate + "=100%"), true);
        }
        List<TrafficTarget> split = List.of(
                Deployer.target(stable, 100 - percent, null),
                Deployer.target(candidate, percent, Deployer.CANDIDATE_TAG));
        return deployer.shift(namespace, name, split,
                s -> s.traffic().contains(candidate + "=" + percent + "% (tag " + Deployer.CANDIDATE_TAG + ")"), true);
    }

    private void pause() {
        try {
            Thread.sleep(deployer.settings().bake());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
