package org.certflow.web;

import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.revocation.RevokeCertificate;
import org.certflow.revocation.RevokeCertificate.Status;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** RA admin API for issued certificates: status, revocation, suspension. */
@RestController
@RequestMapping(path = "/api/v1/certificates/{serialHex}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "RA admin")
@SecurityRequirement(name = "basic")
class CertificateApiController {

	private final RevokeCertificate revokeCertificate;

	CertificateApiController(RevokeCertificate revokeCertificate) {
		this.revokeCertificate = revokeCertificate;
	}

	@Operation(summary = "Revocation status of a certificate")
	@GetMapping
	Status status(@PathVariable String serialHex) {
		return this.revokeCertificate.status(serialHex);
	}

	@Operation(summary = "Revoke or suspend a certificate",
			description = "reason is an RFC 5280 CRLReason name: unspecified, keyCompromise, affiliationChanged, "
					+ "superseded, cessationOfOperation, privilegeWithdrawn, or certificateHold to suspend. "
					+ "The serial is hex in either case, with or without colons between octets.")
	@PostMapping(path = "/revocation", consumes = MediaType.APPLICATION_JSON_VALUE)
	Status revoke(@PathVariable String serialHex, @RequestBody RevocationBody body, Principal admin) {
		return this.revokeCertificate.revoke(serialHex, body.reason(), admin.getName());
	}

	@Operation(summary = "Take a suspended certificate off hold")
	@DeleteMapping("/revocation")
	Status unsuspend(@PathVariable String serialHex, Principal admin) {
		return this.revokeCertificate.unsuspend(serialHex, admin.getName());
	}

	/**
	 * A revocation.
	 *
	 * @param reason RFC 5280 CRLReason name
	 */
	record RevocationBody(String reason) {
	}

}
