package org.certflow.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.camunda.bpm.engine.IdentityService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets a Camunda administrator release a user held back by wrong passwords: clears the
 * engine's attempt counter and lock and the in-memory back-off of {@link LoginThrottle}
 * (on this node; the others forget it within minutes by themselves).
 */
@RestController
@Tag(name = "Administration")
@SecurityRequirement(name = "basic")
class UserUnlockController {

	private static final Logger log = LoggerFactory.getLogger(UserUnlockController.class);

	private final IdentityService identity;

	private final LoginThrottle throttle;

	UserUnlockController(IdentityService identity, LoginThrottle throttle) {
		this.identity = identity;
		this.throttle = throttle;
	}

	@Operation(summary = "Unlock a user",
			description = "Lets the user log in again at once after wrong passwords slowed its logins down. "
					+ "HTTP Basic, group camunda-admin.")
	@ApiResponse(responseCode = "204", description = "The user may log in again")
	@ApiResponse(responseCode = "404", description = "There is no such user",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@PostMapping(path = "/api/v1/users/{userId}/unlock", produces = MediaType.APPLICATION_PROBLEM_JSON_VALUE)
	ResponseEntity<ProblemDetail> unlock(@PathVariable String userId) {
		if (this.identity.createUserQuery().userId(userId).count() == 0) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					"There is no user with id '" + userId + "'.");
			problem.setTitle(HttpStatus.NOT_FOUND.getReasonPhrase());
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
		}
		this.identity.unlockUser(userId);
		this.throttle.forgetUser(userId);
		log.info("User {} unlocked by an administrator", userId);
		return ResponseEntity.noContent().build();
	}

}
