package org.certflow.web;

import java.util.List;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.issuance.SigningTaskCompletion;
import org.certflow.request.RequestException;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signer's one call besides the engine's external task API: complete a chunk of
 * signing tasks in one engine transaction. HTTP Basic, group certflow-signers only (see
 * SecurityConfiguration); a task is completed only when the worker named holds its lock.
 */
@RestController
@RequestMapping(path = "/api/v1/signer", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Signer")
@SecurityRequirement(name = "basic")
class SignerApiController {

	/** A signer fetches at most 100 tasks at once (certflow.signer.max-tasks). */
	static final int MAX_TASKS = 100;

	// Camunda's external task ids are UUIDs; worker ids are host names with a suffix.
	private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

	private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

	private final SigningTaskCompletion completion;

	SignerApiController(SigningTaskCompletion completion) {
		this.completion = completion;
	}

	@Operation(summary = "Complete a chunk of signing tasks",
			description = "Completes, in one engine transaction, the ca-sign-certificate tasks that the named worker "
					+ "has locked and whose certificates the CA's journal holds. Tasks it does not hold are refused "
					+ "and left as they are.")
	@PostMapping(path = "/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
	CompletionView complete(@RequestBody CompletionRequest body) {
		if (body == null || body.workerId() == null || !WORKER_ID.matcher(body.workerId()).matches()) {
			throw new RequestException(RequestException.Kind.INVALID,
					"workerId is missing or not a worker id (letters, digits, '.', '_', ':', '-', up to 200).");
		}
		if (body.taskIds() == null || body.taskIds().isEmpty() || body.taskIds().size() > MAX_TASKS) {
			throw new RequestException(RequestException.Kind.INVALID,
					"taskIds must list between 1 and " + MAX_TASKS + " external task ids.");
		}
		for (String id : body.taskIds()) {
			if (id == null || !TASK_ID.matcher(id).matches()) {
				throw new RequestException(RequestException.Kind.INVALID,
						"taskIds holds something that is not an external task id.");
			}
		}
		SigningTaskCompletion.Completion done = this.completion.complete(body.workerId(), body.taskIds());
		return new CompletionView(done.completed(),
				done.refused().stream().map((r) -> new RefusalView(r.taskId(), r.reason())).toList());
	}

	/**
	 * A chunk to complete.
	 *
	 * @param workerId the worker that locked the tasks
	 * @param taskIds the external task ids
	 */
	record CompletionRequest(String workerId, List<String> taskIds) {
	}

	/**
	 * What became of the chunk.
	 *
	 * @param completed the tasks completed
	 * @param refused the tasks left as they were
	 */
	record CompletionView(List<String> completed, List<RefusalView> refused) {
	}

	/**
	 * A task left as it was.
	 *
	 * @param taskId the external task id
	 * @param reason why
	 */
	record RefusalView(String taskId, String reason) {
	}

}
