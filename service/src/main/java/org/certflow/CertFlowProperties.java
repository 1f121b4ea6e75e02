package org.certflow;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Settings under {@code certflow.*}. Every one has a working default for the embedded
 * mode; {@code certflow.production=true} turns the demo defaults into start-up errors.
 * The CA's settings, {@code certflow.ca.*}, are not copied here: they bind straight into
 * the CA's own {@code CaSettings.Values} (see {@code CaConfiguration}).
 *
 * @param dataDir folder for the H2 database and the CA key store
 * @param publicBaseUrl the address applicants reach, used in mailed links
 * @param production whether this is a production installation (refuses demo settings)
 * @param demoUsers whether to create the demo users admin and officer
 * @param admin the Camunda administrator kept in group camunda-admin
 * @param invitation invitation settings
 * @param activation activation settings
 * @param validation officer validation settings
 * @param signer how signers reach the engine
 * @param mail mail settings
 */
@Validated
@ConfigurationProperties("certflow")
public record CertFlowProperties(@NotNull Path dataDir, @NotNull URI publicBaseUrl, boolean production,
		boolean demoUsers, @Valid @NotNull Admin admin, @Valid @NotNull Invitation invitation,
		@Valid @NotNull Activation activation, @Valid @NotNull Validation validation, @Valid @NotNull Signer signer,
		@Valid @NotNull Mail mail) {

	public record Admin(@NotBlank String id, @NotBlank String password) {

		@Override
		public String toString() {
			return "Admin[id=" + this.id + ", password=(hidden)]";
		}

	}

	public record Invitation(@NotNull Period validity) {
	}

	public record Activation(@NotNull Period validity, @Min(1) @Max(20) int maxPinAttempts) {
	}

	public record Validation(@NotNull Period deferral) {
	}

	/**
	 * How the signer reaches the engine. RA nodes use {@code user} and {@code password}
	 * to keep the signer's technical user; signer processes to log in with it.
	 *
	 * @param engineUrl the engine REST API the signer fetches tasks from; in the embedded
	 * default the in-process signer uses this node's own port
	 * @param user the signer's technical user, member of group certflow-signers only
	 * @param password its password; empty on an RA node means the user is kept in Camunda
	 * Admin by hand (the embedded default draws a fresh one on every start)
	 * @param clients how many fetch-and-sign loops run, each on its own thread
	 * @param maxTasks how many tasks one fetch locks
	 * @param lockDuration how long a fetched task stays locked to its signer
	 * @param longPoll how long a fetch waits on the engine for new tasks before it
	 * returns empty
	 */
	public record Signer(@NotBlank String engineUrl, @NotBlank String user, String password,
			@Min(1) @Max(16) int clients, @Min(1) @Max(100) int maxTasks, @NotNull Duration lockDuration,
			@NotNull Duration longPoll) {

		@Override
		public String toString() {
			return "Signer[engineUrl=" + this.engineUrl + ", user=" + this.user + ", password=(hidden), clients="
					+ this.clients + ", maxTasks=" + this.maxTasks + ", lockDuration=" + this.lockDuration
					+ ", longPoll=" + this.longPoll + "]";
		}

	}

	public record Mail(@NotBlank String from, @Valid @NotNull Embedded embedded) {

		public record Embedded(boolean enabled, @Min(0) int smtpPort, @Min(0) int imapPort) {
		}

	}

}
