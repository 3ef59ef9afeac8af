package io.imagerec.results.repository;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a database failure that passes (the server is down, restarting, out of connections, or a
 * serialization conflict) from one that the same write will always get (bad data, a broken
 * constraint). Only PostgreSQL's SQLSTATE classes for the latter are permanent.
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
                String state = sql.getSQLState();
                // No SQLSTATE: the pool (an acquisition timeout) or the driver, not the server's verdict.
                return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                        || state.equals("40001") || state.equals("40P01") || state.startsWith("58");
            }
            if (t.getClass().getName().startsWith("jakarta.transaction.") && t.getCause() == null) {
                return true; // a commit or rollback that could not reach the server
            }
        }
        return false;
    }
}
