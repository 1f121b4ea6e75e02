package org.certflow.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.delivery.ActivateCertificate;
import org.certflow.request.CertificateRequest;
import org.certflow.request.RequestStatus;
import org.certflow.request.SubmitApplication;
import org.certflow.request.SubmitApplication.Application;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Applicant API. Applicants have no accounts: the invitation token and the activation
 * code with its PIN are the capabilities, sent in the JSON body (never in a URL that logs
 * could keep).
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Applicant")
class ApplicantApiController {

	static final String PEM_CHAIN = "application/pem-certificate-chain";

	private final SubmitApplication submitApplication;

	private final ActivateCertificate activateCertificate;

	ApplicantApiController(SubmitApplication submitApplication, ActivateCertificate activateCertificate) {
		this.submitApplication = submitApplication;
		this.activateCertificate = activateCertificate;
	}

	@Operation(summary = "Submit an application",
			description = "Consumes the invitation token. The CSR must be one PEM block of a PKCS#10 request "
					+ "whose key meets the CA's key policy; the body may be at most 64 KiB.")
	@PostMapping(path = "/applications", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Submitted> submit(@RequestBody Application application) {
		CertificateRequest request = this.submitApplication.submit(application);
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(new Submitted(request.getRequestId(), request.getStatus(), request.getKeyDescription()));
	}

	@Operation(summary = "Collect an issued certificate",
			description = "Returns the chain in PEM, leaf first, root last. Five wrong PINs lock the activation.")
	@PostMapping(path = "/activations", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = { PEM_CHAIN, MediaType.APPLICATION_JSON_VALUE })
	ResponseEntity<String> activate(@RequestBody Activation activation) {
		String chain = this.activateCertificate.activate(activation.activationCode(), activation.pin());
		return ResponseEntity.ok().contentType(MediaType.parseMediaType(PEM_CHAIN)).body(chain);
	}

	/**
	 * Answer to a submission.
	 *
	 * @param requestId the request id to quote to the RA
	 * @param status SUBMITTED
	 * @param keyDescription the key that will be certified
	 */
	record Submitted(String requestId, RequestStatus status, String keyDescription) {
	}

	/**
	 * An activation.
	 *
	 * @param activationCode the code from the activation link
	 * @param pin the PIN from the activation mail
	 */
	record Activation(String activationCode, String pin) {
	}

}
