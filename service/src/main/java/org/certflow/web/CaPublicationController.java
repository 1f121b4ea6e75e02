package org.certflow.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.revocation.CaMaterialNotPublishedException;
import org.certflow.revocation.CaPublication;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Public CA material at the URLs the certificates carry: CRL distribution point, AIA
 * caIssuers and OCSP (RFC 6960, POST and GET), all served from what the signer stored.
 * Before the signer has published anything, the CA certificates and CRLs are 503 with a
 * problem body and OCSP answers tryLater.
 */
@RestController
@Tag(name = "Relying parties")
class CaPublicationController {

	static final MediaType PKIX_CRL = MediaType.parseMediaType("application/pkix-crl");

	static final MediaType PKIX_CERT = MediaType.parseMediaType("application/pkix-cert");

	static final MediaType OCSP_REQUEST = MediaType.parseMediaType("application/ocsp-request");

	static final MediaType OCSP_RESPONSE = MediaType.parseMediaType("application/ocsp-response");

	// An OCSP request for one certificate is about 100 bytes; anything near this is not
	// one.
	static final int MAX_OCSP_REQUEST = 8 * 1024;

	private final CaPublication publication;

	CaPublicationController(CaPublication publication) {
		this.publication = publication;
	}

	@Operation(summary = "Current CRL of the issuing CA (DER)")
	@GetMapping("/ca/crl")
	ResponseEntity<byte[]> crl() {
		return ResponseEntity.ok()
			.contentType(PKIX_CRL)
			.cacheControl(CacheControl.noCache())
			.body(this.publication.crlDer());
	}

	@Operation(summary = "CRL of the root CA (DER), the issuing CA certificate's CRL distribution point")
	@GetMapping("/ca/root.crl")
	ResponseEntity<byte[]> rootCrl() {
		return ResponseEntity.ok()
			.contentType(PKIX_CRL)
			.cacheControl(CacheControl.noCache())
			.body(this.publication.rootCrlDer());
	}

	@Operation(summary = "CA certificates in PEM, issuing CA first, root last")
	@GetMapping("/ca/chain.pem")
	ResponseEntity<String> chain() {
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(ApplicantApiController.PEM_CHAIN))
			.body(this.publication.chainPem());
	}

	@Operation(summary = "Issuing CA certificate (DER), the AIA caIssuers URL")
	@GetMapping("/ca/issuing-ca.cer")
	ResponseEntity<byte[]> issuingCa() {
		return ResponseEntity.ok().contentType(PKIX_CERT).body(this.publication.issuingCaDer());
	}

	@Operation(summary = "OCSP (RFC 6960) over POST")
	@PostMapping(path = "/ocsp", consumes = "application/ocsp-request")
	ResponseEntity<?> ocsp(@RequestBody byte[] request) {
		if (request.length > MAX_OCSP_REQUEST) {
			return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(ApiErrors.problem(HttpStatus.PAYLOAD_TOO_LARGE, "An OCSP request may be at most "
						+ (MAX_OCSP_REQUEST / 1024) + " KiB; one for a single certificate is about 100 bytes."));
		}
		return ocspResponse(request);
	}

	@ExceptionHandler(CaMaterialNotPublishedException.class)
	ResponseEntity<ProblemDetail> notPublished(CaMaterialNotPublishedException ex) {
		return ApiErrors.notPublishedYet(ex);
	}

	private ResponseEntity<byte[]> ocspResponse(byte[] request) {
		return ResponseEntity.ok().contentType(OCSP_RESPONSE).body(this.publication.ocsp(request));
	}

}
