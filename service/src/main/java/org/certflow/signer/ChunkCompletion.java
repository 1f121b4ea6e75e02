package org.certflow.signer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the issued tasks of a chunk with one call to the RA,
 * {@code POST /api/v1/signer/completions}, which completes them in one engine transaction
 * instead of one per task. The RA completes only what this worker still holds. When that
 * call cannot be made (an RA that lacks it, a network failure), each task is completed on
 * its own through the client, as before; a task whose completion is lost comes back when
 * its lock expires and is completed with the certificate already recorded.
 */
class ChunkCompletion {

	private static final Logger log = LoggerFactory.getLogger(ChunkCompletion.class);

	private static final String ENGINE_REST = "/engine-rest";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final URI endpoint;

	private final String authorization;

	private final HttpClient http;

	ChunkCompletion(String engineUrl, String user, String password, HttpClient http) {
		this.endpoint = endpoint(engineUrl);
		this.authorization = "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		this.http = http;
		if (this.endpoint == null) {
			log.info("certflow.signer.engine-url does not end in {}: signing tasks are completed one by one",
					ENGINE_REST);
		}
	}

	/**
	 * The RA's API beside its engine REST API.
	 */
	static URI endpoint(String engineUrl) {
		String base = engineUrl.endsWith("/") ? engineUrl.substring(0, engineUrl.length() - 1) : engineUrl;
		if (!base.endsWith(ENGINE_REST)) {
			return null;
		}
		return URI.create(base.substring(0, base.length() - ENGINE_REST.length()) + "/api/v1/signer/completions");
	}

	void complete(List<SignCertificateHandler.Fetched> issued) {
		if (issued.isEmpty()) {
			return;
		}
		if (this.endpoint != null && completeAtOnce(issued)) {
			return;
		}
		for (SignCertificateHandler.Fetched fetched : issued) {
			try {
				fetched.service().complete(fetched.task());
			}
			catch (RuntimeException ex) {
				log.warn("Could not complete signing task {}; it comes back when its lock expires: {}",
						fetched.task().getId(), ex.toString());
			}
		}
	}

	private boolean completeAtOnce(List<SignCertificateHandler.Fetched> issued) {
		try {
			String body = JSON.writeValueAsString(Map.of("workerId", issued.get(0).task().getWorkerId(), "taskIds",
					issued.stream().map((f) -> f.task().getId()).toList()));
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(this.endpoint)
				.timeout(TIMEOUT)
				.header("Authorization", this.authorization)
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				log.warn("Completing a chunk of {} signing tasks answered {}; completing them one by one",
						issued.size(), response.statusCode());
				return false;
			}
			JsonNode refused = JSON.readTree(response.body()).path("refused");
			for (JsonNode refusal : refused) {
				log.info("The RA did not complete signing task {}: {}", refusal.path("taskId").asText(),
						refusal.path("reason").asText());
			}
			return true;
		}
		catch (IOException ex) {
			log.warn("Completing a chunk of {} signing tasks failed ({}); completing them one by one", issued.size(),
					ex.toString());
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
	}

}
