package org.certflow.delivery;

import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

/** Out-port: activation codes, found by the hash of their code. */
public interface ActivationCodes extends JpaRepository<ActivationCode, String> {

	/**
	 * Finds and row-locks an activation, so that two concurrent attempts cannot both pass
	 * the attempt limit or both collect.
	 * @param codeHash SHA-256 of the code
	 * @return the activation
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	Optional<ActivationCode> findByCodeHash(String codeHash);

}
