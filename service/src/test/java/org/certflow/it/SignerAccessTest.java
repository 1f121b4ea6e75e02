package org.certflow.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.certflow.EmbeddedSigners;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.security.SignerAccount;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signer's technical user can fetch and finish signing tasks and nothing else; no
 * other user can finish a signing task, so no officer can put a certificate of their own
 * choosing into a request's path.
 */
class SignerAccessTest extends IntegrationTest {

	@Autowired
	private SignerAccount signer;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private ExternalTaskService externalTasks;

	@Test
	void signerMayFetchAndLock() {
		HttpResponse<String> fetched = asSigner("POST", "/engine-rest/external-task/fetchAndLock",
				"{\"workerId\":\"probe\",\"maxTasks\":1,\"topics\":[{\"topicName\":\"no-such-topic\",\"lockDuration\":1000}]}");
		assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
		assertThat(body(fetched).isArray()).isTrue();
	}

	@Test
	void signerMayCallNothingElseInTheEngine() {
		for (String[] call : List.of(new String[] { "GET", "/engine-rest/task" },
				new String[] { "GET", "/engine-rest/process-instance" },
				new String[] { "GET", "/engine-rest/external-task" },
				new String[] { "GET", "/engine-rest/external-task/some-id" },
				new String[] { "POST", "/engine-rest/process-definition/key/CertificateRequestProcess/start" },
				new String[] { "POST", "/engine-rest/external-task/some-id/retries" },
				new String[] { "PUT", "/engine-rest/external-task/some-id/retries" },
				new String[] { "POST", "/engine-rest/external-task/some-id/unlock" },
				new String[] { "POST", "/engine-rest/external-task/a/b/complete" },
				new String[] { "POST", "/engine-rest/message" }, new String[] { "GET", "/engine-rest/user" })) {
			HttpResponse<String> response = asSigner(call[0], call[1], "{}");
			assertThat(response.statusCode()).as(call[0] + " " + call[1] + ": " + response.body()).isEqualTo(403);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
	}

	@Test
	void signerCannotUseTheRaApi() {
		assertThat(asSigner("GET", "/api/v1/mail", null).statusCode()).isEqualTo(403);
		assertThat(asSigner("GET", "/api/v1/audit/verification", null).statusCode()).isEqualTo(403);
	}

	@Test
	void wrongSignerPasswordIsRefused() {
		HttpResponse<String> response = send(HttpRequest.newBuilder(url("/engine-rest/external-task/fetchAndLock"))
			.header("Content-Type", "application/json")
			.header("Authorization", basic(this.signer.user(), "not-the-password"))
			.POST(HttpRequest.BodyPublishers.ofString("{\"workerId\":\"x\",\"maxTasks\":1,\"topics\":[]}")));
		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void noOfficerOrAdminCanFinishASigningTask() throws Exception {
		String requestId;
		EmbeddedSigners.stop(this.context);
		try {
			requestId = submittedRequest(newMailbox());
			assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
			awaitStatus(requestId, "APPROVED");
			// What an officer sees of the signing queue: nothing to take. (The demo admin
			// is also camunda-admin, who may do anything in the engine by design.)
			for (String user : List.of(OFFICER)) {
				HttpResponse<String> fetched = postJson("/engine-rest/external-task/fetchAndLock",
						Map.of("workerId", "officer", "maxTasks", 5, "topics", List.of(Map.of("topicName",
								CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE, "lockDuration", 60000))),
						user);
				assertThat(fetched.statusCode()).as(fetched.body()).isIn(200, 403);
				if (fetched.statusCode() == 200) {
					assertThat(body(fetched).size()).as("signing tasks an officer could lock").isZero();
				}
			}
			// Even knowing the task's id, an officer cannot complete it.
			List<LockedExternalTask> locked = this.externalTasks.fetchAndLock(1, "officer")
				.topic(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE, 1000)
				.businessKey(requestId)
				.execute();
			assertThat(locked).hasSize(1);
			HttpResponse<String> completed = postJson(
					"/engine-rest/external-task/" + locked.get(0).getId() + "/complete", Map.of("workerId", "officer"),
					OFFICER);
			assertThat(completed.statusCode()).as(completed.body()).isIn(403, 404);
			Thread.sleep(1200);
		}
		finally {
			EmbeddedSigners.start(this.context);
		}
		JsonNode issued = awaitStatus(requestId, "ISSUED");
		assertThat(issued.get("certificateSerial").asText()).isNotBlank();
	}

	@Test
	void onlyTheSignerMayCompleteAChunk() {
		Map<String, Object> chunk = Map.of("workerId", "w-1", "taskIds", List.of("a-task"));
		for (String user : List.of(ADMIN, OFFICER)) {
			assertThat(postJson("/api/v1/signer/completions", chunk, user).statusCode()).as(user).isEqualTo(403);
		}
		HttpResponse<String> anonymous = send(HttpRequest.newBuilder(url("/api/v1/signer/completions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"workerId\":\"w-1\",\"taskIds\":[\"a-task\"]}")));
		assertThat(anonymous.statusCode()).isEqualTo(401);
	}

	@Test
	void aChunkWithBadInputIsRefusedWithAProblem() {
		String hundredAndOne = String.join(",", java.util.Collections.nCopies(101, "\"t\""));
		for (String body : List.of("{\"workerId\":\"w\",\"taskIds\":[]}", "{\"taskIds\":[\"t\"]}",
				"{\"workerId\":\"w\",\"taskIds\":[\"../x\"]}", "{\"workerId\":\"w x\",\"taskIds\":[\"t\"]}",
				"{\"workerId\":\"w\",\"taskIds\":[null]}", "{\"workerId\":\"w\",\"taskIds\":[" + hundredAndOne + "]}",
				"not json", "[]")) {
			HttpResponse<String> response = asSigner("POST", "/api/v1/signer/completions", body);
			assertThat(response.statusCode()).as(body + ": " + response.body()).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
	}

	@Test
	void aChunkCompletesNoTaskAnotherWorkerHolds() throws Exception {
		String requestId;
		EmbeddedSigners.stop(this.context);
		try {
			requestId = submittedRequest(newMailbox());
			assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
			awaitStatus(requestId, "APPROVED");
			List<LockedExternalTask> locked = this.externalTasks.fetchAndLock(1, "worker-a")
				.topic(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE, 1000)
				.businessKey(requestId)
				.execute();
			assertThat(locked).hasSize(1);
			String taskId = locked.get(0).getId();

			HttpResponse<String> response = asSigner("POST", "/api/v1/signer/completions",
					"{\"workerId\":\"worker-b\",\"taskIds\":[\"" + taskId + "\",\"no-such-task\"]}");

			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode outcome = body(response);
			assertThat(outcome.get("completed").size()).isZero();
			assertThat(outcome.get("refused").findValuesAsText("taskId")).containsExactlyInAnyOrder(taskId,
					"no-such-task");
			assertThat(this.externalTasks.getExternalTaskErrorDetails(taskId)).isNull();
			assertThat(get("/api/v1/requests/" + requestId, ADMIN).body()).contains("APPROVED");
			Thread.sleep(1200);
		}
		finally {
			EmbeddedSigners.start(this.context);
		}
		// The lock expired; the signer takes the task and issues, once.
		JsonNode issued = awaitStatus(requestId, "ISSUED");
		assertThat(issued.get("certificateSerial").asText()).isNotBlank();
	}

	private HttpResponse<String> asSigner(String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(url(path))
			.header("Authorization", basic(this.signer.user(), this.signer.password()))
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		return send(request);
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
