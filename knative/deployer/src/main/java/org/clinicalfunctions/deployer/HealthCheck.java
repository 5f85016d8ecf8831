package org.clinicalfunctions.deployer;

/** Decides, after each traffic step of a canary, whether the new revision may take more traffic. */
@FunctionalInterface
public interface HealthCheck {

    /**
     * True when the candidate revision is healthy.
     *
     * @param service the Knative Service's name
     * @param candidateUrl the URL of the candidate revision's tag route, empty when Knative has not reported one
     * @param percent the share of traffic the candidate takes now
     */
    boolean passes(String service, String candidateUrl, long percent);
}
