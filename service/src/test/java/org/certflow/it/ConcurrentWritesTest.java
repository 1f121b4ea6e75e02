package org.certflow.it;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twenty clients send the same write at the same moment, several rounds: exactly one
 * wins, every other one gets a 409 problem that says what happened, none gets a 500, and
 * nothing is stored twice or half-way.
 */
class ConcurrentWritesTest extends IntegrationTest {

	private static final int THREADS = 20;

	private static final int ROUNDS = 3;

	@Test
	void oneOfTwentyParallelSubmissionsOfOneTokenWinsAndTheRestGet409() throws Exception {
		for (int round = 0; round < ROUNDS; round++) {
			String email = newMailbox();
			String requestId = invite(email);
			String token = invitationToken(email);
			String csr = csrPem(newEcKey("secp256r1"), "CN=x");

			List<HttpResponse<String>> responses = atOnce(() -> submit(token, csr, email));

			assertOneWinnerRestConflict(responses, 202);
			awaitStatus(requestId, "PENDING_VALIDATION");
			assertThat(this.jdbc.queryForObject(
					"select count(*) from invitation where request_id = ? and consumed_at is not null", Integer.class,
					requestId))
				.isEqualTo(1);
			assertThat(this.jdbc
				.queryForObject("select count(*) from ACT_RU_TASK t join ACT_RU_EXECUTION e on t.PROC_INST_ID_ = e.ID_ "
						+ "where e.BUSINESS_KEY_ = ?", Integer.class, requestId))
				.as("one officer task, not one per submission")
				.isEqualTo(1);
		}
	}

	@Test
	void oneOfTwentyParallelCollectionsOfOneActivationWinsAndTheRestGet409() throws Exception {
		for (int round = 0; round < ROUNDS; round++) {
			String email = newMailbox();
			String requestId = submittedRequest(email);
			assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
			awaitStatus(requestId, "ISSUED");
			String[] activation = activation(email);

			List<HttpResponse<String>> responses = atOnce(() -> postJson("/api/v1/activations",
					Map.of("activationCode", activation[0], "pin", activation[1]), null));

			assertOneWinnerRestConflict(responses, 200);
			awaitStatus(requestId, "COLLECTED");
		}
	}

	@Test
	void twentyParallelInvitationsOfOneMailboxAreTwentyRequests() throws Exception {
		for (int round = 0; round < ROUNDS; round++) {
			String email = newMailbox();
			List<HttpResponse<String>> responses = atOnce(() -> postJson("/api/v1/invitations",
					Map.of("email", email, "fullName", "Ada Applicant", "certificateClass", "standard"), ADMIN));
			// Invitations are not idempotent: each one is a request of its own.
			assertThat(responses).allSatisfy((r) -> assertThat(r.statusCode()).as(r.body()).isEqualTo(201));
			assertThat(this.jdbc.queryForObject("select count(*) from certificate_request where email = ?",
					Integer.class, email))
				.isEqualTo(THREADS);
		}
	}

	private void assertOneWinnerRestConflict(List<HttpResponse<String>> responses, int winner) {
		assertThat(responses).noneSatisfy((r) -> assertThat(r.statusCode()).isGreaterThanOrEqualTo(500));
		assertThat(responses.stream().filter((r) -> r.statusCode() == winner)).hasSize(1);
		assertThat(responses.stream().filter((r) -> r.statusCode() != winner)).allSatisfy((r) -> {
			assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
			assertThat(r.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(body(r).get("detail").asText()).isNotBlank();
		});
	}

	private static <T> List<T> atOnce(Supplier<T> call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < THREADS; i++) {
				futures.add(pool.submit((Callable<T>) () -> {
					start.await();
					return call.get();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(2, TimeUnit.MINUTES));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
