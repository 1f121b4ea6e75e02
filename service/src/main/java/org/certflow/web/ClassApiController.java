package org.certflow.web;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.request.CertificateClass;
import org.certflow.request.ManageClasses;
import org.certflow.request.RequestException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * RA admin API for certificate classes: list, read, create, change (optimistic locking:
 * If-Match with the ETag, or a version field), retire. HTTP Basic, group ra-admins or
 * camunda-admin.
 */
@RestController
@RequestMapping(path = "/api/v1/classes", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "RA admin: certificate classes")
@SecurityRequirement(name = "basic")
class ClassApiController {

	private final ManageClasses manageClasses;

	ClassApiController(ManageClasses manageClasses) {
		this.manageClasses = manageClasses;
	}

	@Operation(summary = "All certificate classes, retired ones included")
	@GetMapping
	List<ClassView> classes() {
		return this.manageClasses.list().stream().map(ClassView::of).toList();
	}

	@Operation(summary = "One certificate class",
			description = "The ETag is the class's version: send it as " + "If-Match with a change.")
	@GetMapping("/{name}")
	ResponseEntity<ClassView> certificateClass(@PathVariable String name) {
		return withETag(ResponseEntity.ok(), this.manageClasses.get(name));
	}

	@Operation(summary = "Create a certificate class",
			description = "Lists are JSON arrays of the allowed tokens; absent fields take the defaults.")
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ClassView> create(@RequestBody ManageClasses.Input body, Principal admin) {
		CertificateClass created = this.manageClasses.create(body, admin.getName());
		return withETag(ResponseEntity.created(URI.create("/api/v1/classes/" + created.getName())), created);
	}

	@Operation(summary = "Change a certificate class",
			description = "Replaces every setting (absent fields take the defaults). Name the version the change "
					+ "is based on with If-Match (the ETag from GET) or a version field: 428 without one, 412 "
					+ "when the class changed since. Requests already made keep what they were made with.")
	@PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ClassView> change(@PathVariable String name,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestBody ManageClasses.Input body, Principal admin) {
		Long version = (ifMatch != null) ? version(ifMatch) : body.version();
		return withETag(ResponseEntity.ok(), this.manageClasses.change(name, version, body, admin.getName()));
	}

	@Operation(summary = "Retire a certificate class",
			description = "It takes no new invitations or requests; requests made earlier go on with it.")
	@PostMapping("/{name}/retirement")
	ResponseEntity<ClassView> retire(@PathVariable String name, Principal admin) {
		return withETag(ResponseEntity.ok(), this.manageClasses.retire(name, admin.getName()));
	}

	private static ResponseEntity<ClassView> withETag(ResponseEntity.BodyBuilder response, CertificateClass cls) {
		return response.eTag("\"" + cls.getVersion() + "\"").body(ClassView.of(cls));
	}

	private static Long version(String ifMatch) {
		String tag = ifMatch.strip();
		if (tag.startsWith("W/")) {
			tag = tag.substring(2);
		}
		if (tag.matches("\"[0-9]{1,18}\"")) {
			return Long.valueOf(tag.substring(1, tag.length() - 1));
		}
		throw new RequestException(RequestException.Kind.INVALID,
				"If-Match must be the ETag from GET /api/v1/classes/{name}, such as \"3\", not " + ifMatch + ".");
	}

	/**
	 * A certificate class.
	 *
	 * @param name the name requests refer to it by
	 * @param displayName the name people see
	 * @param description what it is for
	 * @param issuanceProfile the CA profile
	 * @param issueImmediately sign on approval, or in the scheduled batch
	 * @param allowedDomains mailbox domains the policy may approve alone
	 * @param phoneRequired applicants must give a phone number
	 * @param pinRequired applicants must give a PIN
	 * @param keySources BROWSER, CSR, SERVER
	 * @param keyAlgorithms allowed key algorithms
	 * @param validityDays certificate validity
	 * @param distributionMethods WEB_PICKUP, P12_MAIL, TOKEN
	 * @param defaultDistribution one of distributionMethods
	 * @param billingCode price code
	 * @param escalationAfter ISO-8601 duration
	 * @param retiredAt when it was retired, or null
	 * @param version its version (also the ETag)
	 */
	record ClassView(String name, String displayName, String description, String issuanceProfile,
			boolean issueImmediately, List<String> allowedDomains, boolean phoneRequired, boolean pinRequired,
			List<String> keySources, List<String> keyAlgorithms, int validityDays, List<String> distributionMethods,
			String defaultDistribution, String billingCode, String escalationAfter, Instant retiredAt, long version) {

		static ClassView of(CertificateClass c) {
			return new ClassView(c.getName(), c.getDisplayName(), c.getDescription(), c.getIssuanceProfile(),
					c.isIssueImmediately(), list(c.getAllowedDomains()), c.isPhoneRequired(), c.isPinRequired(),
					list(c.getKeySources()), list(c.getKeyAlgorithms()), c.getValidityDays(),
					list(c.getDistributionMethods()), c.getDefaultDistribution(), c.getBillingCode(),
					c.getEscalationAfter(), c.getRetiredAt(), c.getVersion());
		}

		private static List<String> list(String commaSeparated) {
			return (commaSeparated == null || commaSeparated.isBlank()) ? List.of()
					: Arrays.stream(commaSeparated.split(",")).map(String::strip).toList();
		}

	}

}
