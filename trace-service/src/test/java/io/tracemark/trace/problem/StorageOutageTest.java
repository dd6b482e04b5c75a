package io.tracemark.trace.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

import javax.transaction.xa.XAException;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.RollbackException;

import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures mean "the database is away, retry later" (503) and which are the service's own (500). */
class StorageOutageTest {

    @Test
    void aRefusedOrBrokenConnectionIsAnOutageHoweverDeepItIsWrapped() {
        PSQLException refused = new PSQLException("Connection to 127.0.0.1:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new ConnectException("Connection refused"));
        assertTrue(StorageOutage.isCauseOf(refused));
        assertTrue(StorageOutage.isCauseOf(new IllegalStateException("Writing 500 codes failed",
                new PSQLException("An I/O error occurred", PSQLState.CONNECTION_FAILURE))));
        assertTrue(StorageOutage.isCauseOf(new JDBCConnectionException("Unable to acquire JDBC Connection", refused)));
        assertTrue(StorageOutage.isCauseOf(new SQLTransientConnectionException("gone")));
        assertTrue(StorageOutage.isCauseOf(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(StorageOutage.isCauseOf(new SQLException("the database system is starting up", "57P03")));
    }

    /** A commit on a dropped connection: the driver's failure is suppressed inside the transaction manager's. */
    @Test
    void aCommitThatLostItsConnectionIsAnOutage() {
        XAException commit = new XAException("Error trying to transactionCommit local transaction");
        commit.initCause(new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE));
        RuntimeException rollback = new RuntimeException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(commit);
        assertTrue(StorageOutage.isCauseOf(new IllegalStateException("Error invoking subclass method", rollback)));
    }

    /**
     * A commit whose connection broke mid-way, reported by the transaction manager without the
     * driver's error (it only logs it), or by the pool on the connection it dropped as broken.
     */
    @Test
    void aTransactionTheDatabaseDidNotCompleteIsAnOutage() {
        assertTrue(StorageOutage.isCauseOf(new IllegalStateException("Error invoking subclass method",
                new HeuristicMixedException("ARJUNA016036: commit on resource failed"))));
        assertTrue(StorageOutage.isCauseOf(new RollbackException("ARJUNA016053: Could not commit transaction.")));
        XAException rmfail = new XAException("commit failed");
        rmfail.errorCode = XAException.XAER_RMFAIL;
        assertTrue(StorageOutage.isCauseOf(new RuntimeException(rmfail)));
        assertTrue(StorageOutage.isCauseOf(new SQLException("Exception in association of connection to existing"
                + " transaction", new RollbackException("ARJUNA016053"))));
        assertTrue(StorageOutage.isCauseOf(new SQLException("Connection is closed")));
    }

    @Test
    void thePoolsAcquisitionTimeoutIsAnOutage() {
        assertTrue(StorageOutage.isCauseOf(new RuntimeException(new SQLException(
                "Acquisition timeout while waiting for new connection", new TimeoutException()))));
        assertTrue(StorageOutage.isCauseOf(new SQLException("Sorry, acquisition timeout!")));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(StorageOutage.isCauseOf(new SQLException("duplicate key value", "23505")));
        assertFalse(StorageOutage.isCauseOf(new SQLException("canceling statement due to statement timeout", "57014")));
        assertFalse(StorageOutage.isCauseOf(new ConnectException("an MQTT broker refused")));
        assertFalse(StorageOutage.isCauseOf(new IllegalStateException("a bug")));
        // Rolled back because the database refused a write: the database answered, and said no.
        RollbackException refusedAtCommit = new RollbackException("ARJUNA016053: Could not commit transaction.");
        refusedAtCommit.addSuppressed(new SQLException("duplicate key value violates unique constraint", "23505"));
        assertFalse(StorageOutage.isCauseOf(refusedAtCommit));
        XAException protocol = new XAException("wrong state");
        protocol.errorCode = XAException.XAER_PROTO;
        assertFalse(StorageOutage.isCauseOf(protocol));
    }
}
