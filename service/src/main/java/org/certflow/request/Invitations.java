package org.certflow.request;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

/** Out-port: invitations, found by the hash of their token. */
public interface Invitations extends JpaRepository<Invitation, String> {

	Optional<Invitation> findByTokenHash(String tokenHash);

}
