package org.certflow.request;

import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Out-port: invitations, found by the hash of their token. */
public interface Invitations extends JpaRepository<Invitation, String> {

	Optional<Invitation> findByTokenHash(String tokenHash);

	/**
	 * Finds and row-locks an invitation, so that submissions of one token run one after
	 * the other: the first consumes it, every later one finds it consumed.
	 * @param tokenHash SHA-256 of the token
	 * @return the invitation
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select i from Invitation i where i.tokenHash = :tokenHash")
	Optional<Invitation> lockByTokenHash(@Param("tokenHash") String tokenHash);

}
