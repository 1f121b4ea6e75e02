package org.certflow.request;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

/** Out-port: certificate requests by request id. */
public interface CertificateRequests extends JpaRepository<CertificateRequest, String> {

	Optional<CertificateRequest> findByCertificateSerial(String certificateSerial);

}
