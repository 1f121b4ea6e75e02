package org.certflow.it;

import java.util.List;

import org.certflow.request.RequestEventKind;
import org.certflow.request.RequestEvents;
import org.certflow.request.RequestEvents.RequestEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request's timeline keeps the order events were written in, also where the database
 * keeps whole seconds only (MariaDB 10.x through Connector/J), and is only ever written
 * inside the transaction of the change it records.
 */
class RequestEventsTest extends IntegrationTest {

	@Autowired
	private RequestEvents events;

	@Autowired
	private TransactionTemplate transactions;

	@Test
	void eventsOfOneSecondComeBackInTheOrderTheyWereWritten() {
		String requestId = invite(newMailbox());
		List<RequestEventKind> written = List.of(RequestEventKind.SUBMITTED, RequestEventKind.ROUTED,
				RequestEventKind.APPROVED, RequestEventKind.ISSUED, RequestEventKind.COLLECTED,
				RequestEventKind.REVOKED);
		this.transactions.executeWithoutResult((status) -> written
			.forEach((kind) -> this.events.record(requestId, kind, RequestEvents.SYSTEM, kind.name().toLowerCase())));

		List<RequestEvent> timeline = this.events.timeline(requestId);

		assertThat(timeline).extracting(RequestEvent::kind).endsWith(written.toArray(RequestEventKind[]::new));
		assertThat(timeline).last().satisfies((event) -> {
			assertThat(event.actor()).isEqualTo(RequestEvents.SYSTEM);
			assertThat(event.detail()).isEqualTo("revoked");
			assertThat(event.requestId()).isEqualTo(requestId);
		});
	}

	@Test
	void aLongDetailIsCutToWhatTheColumnHolds() {
		String requestId = invite(newMailbox());
		this.transactions.executeWithoutResult(
				(status) -> this.events.record(requestId, RequestEventKind.REJECTED, ADMIN, "x".repeat(5000)));
		assertThat(this.events.timeline(requestId)).last()
			.satisfies((event) -> assertThat(event.detail()).hasSize(2000));
	}

	@Test
	void noEventOutsideATransaction() {
		String requestId = invite(newMailbox());
		assertThatThrownBy(() -> this.events.record(requestId, RequestEventKind.CANCELLED, ADMIN, "no"))
			.isInstanceOf(IllegalTransactionStateException.class);
	}

}
