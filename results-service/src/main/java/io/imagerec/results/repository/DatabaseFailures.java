package io.imagerec.results.repository;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a database failure that passes (the server is down, restarting, read-only after a failover,
 * out of connections, a timeout, a lock or serialization conflict) from one that the same write will
 * always get. Only PostgreSQL's SQLSTATE classes for bad data (22), broken constraints (23), and
 * statements the schema refuses (42, but for a missing privilege, which an operator fixes) are
 * permanent; anything else is waited out.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                // No SQLSTATE: the pool (an acquisition timeout) or the driver, not the server's verdict.
                String state = sql.getSQLState();
                return state == null || !(state.startsWith("22") || state.startsWith("23")
                        || (state.startsWith("42") && !state.equals("42501")));
            }
            if (t.getClass().getName().startsWith("jakarta.transaction.") && t.getCause() == null) {
                return true; // a commit or rollback that could not reach the server
            }
        }
        return false;
    }
}
