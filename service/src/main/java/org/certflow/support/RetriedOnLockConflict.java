package org.certflow.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A use case whose transaction is run again when the database chose it as the loser of a
 * lock conflict (a deadlock or a lock wait that timed out). Such a loser has written
 * nothing; running it again gives the caller the answer the current state deserves
 * instead of a bare 409. On MariaDB a background step that adds a row pointing at a
 * request and then updates the request holds a shared lock on it for a moment; an RA
 * admin's action locking the same request at that moment is the one InnoDB rolls back.
 * <p>
 * Only for use cases whose every effect is in their transaction (mail goes through the
 * outbox, the engine joins the transaction). A call made inside a transaction that is
 * already running is not retried here: the outermost one is.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RetriedOnLockConflict {

}
