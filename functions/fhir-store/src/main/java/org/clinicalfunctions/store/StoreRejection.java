package org.clinicalfunctions.store;

/** A request that will never succeed as sent: answered with 4xx and an OperationOutcome. */
public class StoreRejection extends RuntimeException {

    private final StoreProblem problem;
    private final String location;

    public StoreRejection(StoreProblem problem, String location) {
        super(problem.diagnostics(location), null, false, false);
        this.problem = problem;
        this.location = location;
    }

    public StoreProblem problem() {
        return problem;
    }

    /** The FHIRPath of the offending element, or the name of the offending search parameter. */
    public String location() {
        return location;
    }
}
