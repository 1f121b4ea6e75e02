package org.certflow.support;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a {@link RetriedOnLockConflict} use case again, a few times with a short random
 * pause, when its transaction lost a lock conflict. Sits outside the transaction
 * interceptor, so each attempt is a transaction of its own.
 */
public final class LockConflictRetry implements MethodInterceptor {

	private static final Logger log = LoggerFactory.getLogger(LockConflictRetry.class);

	/** MySQL and MariaDB: deadlock found, lock wait timeout exceeded. */
	private static final int ER_LOCK_DEADLOCK = 1213;

	private static final int ER_LOCK_WAIT_TIMEOUT = 1205;

	private final int attempts;

	public LockConflictRetry(int attempts) {
		if (attempts < 1) {
			throw new IllegalArgumentException("attempts must be at least 1");
		}
		this.attempts = attempts;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		if (TransactionSynchronizationManager.isActualTransactionActive()
				|| !(invocation instanceof ProxyMethodInvocation proxied)) {
			return invocation.proceed();
		}
		for (int attempt = 1;; attempt++) {
			try {
				return proxied.invocableClone().proceed();
			}
			catch (RuntimeException ex) {
				if (attempt >= this.attempts || !isLockConflict(ex)) {
					throw ex;
				}
				log.info("{} lost a lock conflict (attempt {} of {}), running it again: {}",
						invocation.getMethod().getDeclaringClass().getSimpleName() + "."
								+ invocation.getMethod().getName(),
						attempt, this.attempts, ex.toString());
				Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25L * attempt));
			}
		}
	}

	/**
	 * @param error a failure
	 * @return whether it, or one of its causes, says the database rolled the transaction
	 * back to break a lock conflict
	 */
	public static boolean isLockConflict(Throwable error) {
		for (Throwable t = error; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t instanceof PessimisticLockingFailureException
					|| t instanceof jakarta.persistence.PessimisticLockException
					|| t instanceof jakarta.persistence.LockTimeoutException) {
				return true;
			}
			if (t instanceof SQLException sql && ("40001".equals(sql.getSQLState())
					|| sql.getErrorCode() == ER_LOCK_DEADLOCK || sql.getErrorCode() == ER_LOCK_WAIT_TIMEOUT)) {
				return true;
			}
		}
		return false;
	}

}
