package org.clinicalfunctions.export;

/** A request the export refuses: answered with the status and an OperationOutcome naming the problem. */
public class ExportRejection extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final ExportProblem problem;
    private final String location;

    public ExportRejection(int status, ExportProblem problem, String location) {
        super(problem.diagnostics(location));
        this.status = status;
        this.problem = problem;
        this.location = location;
    }

    public int status() {
        return status;
    }

    public ExportProblem problem() {
        return problem;
    }

    public String location() {
        return location;
    }
}
