package org.certflow.request;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Out-port: certificate requests by request id. */
public interface CertificateRequests
		extends JpaRepository<CertificateRequest, String>, JpaSpecificationExecutor<CertificateRequest> {

	Optional<CertificateRequest> findByCertificateSerial(String certificateSerial);

	/**
	 * Finds and row-locks a request, so that RA admin actions on one request (two
	 * cancellations, two resends) run one after the other and the later sees what the
	 * earlier did.
	 * @param requestId the request id
	 * @return the request
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select r from CertificateRequest r where r.requestId = :requestId")
	Optional<CertificateRequest> lockById(@Param("requestId") String requestId);

	Optional<CertificateRequest> findByCreatedByAndIdempotencyKey(String createdBy, String idempotencyKey);

	/**
	 * Moves a request from one status to another in one statement, so that concurrent
	 * callers (signers racing after a lock expiry) cannot both succeed or fail on a stale
	 * version.
	 * @return 1 when this call made the change, 0 when the request was not in
	 * {@code from}
	 */
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update CertificateRequest r set r.status = :to, r.certificateSerial = :serial, r.updatedAt = :now, "
			+ "r.version = r.version + 1 where r.requestId = :requestId and r.status = :from")
	int markIssued(@Param("requestId") String requestId, @Param("serial") String serial,
			@Param("from") RequestStatus from, @Param("to") RequestStatus to, @Param("now") Instant now);

}
