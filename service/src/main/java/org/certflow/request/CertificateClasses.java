package org.certflow.request;

import org.springframework.data.jpa.repository.JpaRepository;

/** Out-port: the certificate classes. */
public interface CertificateClasses extends JpaRepository<CertificateClass, String> {

}
