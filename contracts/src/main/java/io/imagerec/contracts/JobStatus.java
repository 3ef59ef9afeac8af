package io.imagerec.contracts;

/**
 * Where a job stands. Statuses only move forward: a message carrying a lower rank than the one
 * stored (SQS reorders and redelivers) is ignored, and a terminal status is final.
 */
public enum JobStatus {
    QUEUED(0),
    PROCESSING(1),
    SUCCEEDED(2),
    FAILED(2);

    private final int rank;

    JobStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public boolean isTerminal() {
        return rank == 2;
    }

    /** Whether a job now in {@code this} status may move to {@code next}. */
    public boolean mayMoveTo(JobStatus next) {
        return !isTerminal() && next.rank > rank;
    }
}
