package org.certflow.request;

import org.springframework.data.jpa.repository.JpaRepository;

/** Out-port: certificate requests by request id. */
public interface CertificateRequests extends JpaRepository<CertificateRequest, String> {

}
