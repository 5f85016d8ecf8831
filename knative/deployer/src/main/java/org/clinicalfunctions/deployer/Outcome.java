package org.clinicalfunctions.deployer;

/**
 * What became of one Knative Service in a deployment.
 *
 * @param service the Service's name
 * @param result how it ended
 * @param state what Knative reported last
 */
public record Outcome(String service, Result result, ServiceState state) {

    /** How a Service's deployment ended. */
    public enum Result {
        /** First deployment, or no new revision: Ready, all traffic on the latest revision. */
        DEPLOYED,
        /** A new revision took 10, 50 and then 100 % of the traffic, passing every check. */
        PROMOTED,
        /** The new revision failed to become Ready or a check: all traffic is back on the previous revision. */
        ROLLED_BACK,
        /** Not Ready in time and no previous revision to fall back to. */
        FAILED
    }

    /** True for the results a pipeline may go on after. */
    public boolean succeeded() {
        return result == Result.DEPLOYED || result == Result.PROMOTED;
    }
}
