package org.certflow.support;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockConflictRetryTest {

	interface Action {

		String run();

	}

	private final AtomicInteger calls = new AtomicInteger();

	@AfterEach
	void noTransaction() {
		TransactionSynchronizationManager.setActualTransactionActive(false);
	}

	private Action failingFirst(int failures, RuntimeException failure) {
		Action target = () -> {
			if (this.calls.incrementAndGet() <= failures) {
				throw failure;
			}
			return "done after " + this.calls.get();
		};
		ProxyFactory factory = new ProxyFactory(target);
		factory.addInterface(Action.class);
		factory.addAdvice(new LockConflictRetry(3));
		return (Action) factory.getProxy();
	}

	@Test
	void aDeadlockLoserRunsAgainUntilItGetsThrough() {
		assertThat(failingFirst(2, new CannotAcquireLockException("deadlock")).run()).isEqualTo("done after 3");
	}

	@Test
	void afterTheLastAttemptTheConflictReachesTheCaller() {
		Action action = failingFirst(5, new CannotAcquireLockException("deadlock"));
		assertThatThrownBy(action::run).isInstanceOf(CannotAcquireLockException.class);
		assertThat(this.calls).hasValue(3);
	}

	@Test
	void otherFailuresAreNotRunAgain() {
		// A duplicate key is a real answer (someone else won), not a lock conflict.
		Action action = failingFirst(1, new DataIntegrityViolationException("duplicate"));
		assertThatThrownBy(action::run).isInstanceOf(DataIntegrityViolationException.class);
		assertThat(this.calls).hasValue(1);
	}

	@Test
	void insideARunningTransactionTheOutermostCallerRetriesNotThisOne() {
		TransactionSynchronizationManager.setActualTransactionActive(true);
		Action action = failingFirst(1, new CannotAcquireLockException("deadlock"));
		assertThatThrownBy(action::run).isInstanceOf(CannotAcquireLockException.class);
		assertThat(this.calls).hasValue(1);
	}

	@Test
	void recognisesTheDriversWordsForALockConflict() {
		assertThat(LockConflictRetry
			.isLockConflict(new RuntimeException(new SQLException("Deadlock found", "40001", 1213)))).isTrue();
		assertThat(LockConflictRetry
			.isLockConflict(new RuntimeException(new SQLException("Lock wait timeout", "HY000", 1205)))).isTrue();
		assertThat(LockConflictRetry.isLockConflict(new RuntimeException(new SQLException("Duplicate", "23000", 1062))))
			.isFalse();
	}

}
