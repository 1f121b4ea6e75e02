package org.certflow.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bouncycastle.asn1.ASN1InputStream;

/**
 * Fuzz targets for everything that reads a subscriber's bytes before a person or the CA
 * key sees them. The rule is "no crash, bounded memory": the only exception allowed out
 * is the documented refusal, {@link IssuanceRefusedException}; anything else (a parser's
 * runtime exception, an error, more than a second for one input, an out-of-memory) is a
 * finding.
 * <p>
 * In {@code verify} each target runs only the saved inputs under
 * {@code src/test/resources/org/certflow/ca/CsrFuzzTestInputs/<target>}: real CSRs (RSA,
 * RSA-PSS, P-256/384/521, Ed25519, one asking for CA:TRUE, the two ROCA test CSRs as DER)
 * and every input that once broke a target. {@code ./mvnw -B -pl ca -Pfuzz test} fuzzes
 * each target for a bounded time (see the {@code fuzz} profile in ca/pom.xml); a new
 * finding is written into that folder and becomes a regression test.
 */
class CsrFuzzTest {

	/**
	 * The profile shapes the CA offers: the multipurpose default, and a strict one
	 * without client auth or Ed25519, so the profile-dependent branches are reached.
	 */
	private static final CsrInspector INSPECTOR = new CsrInspector(Map.of("standard", IssuanceProfile.standard(),
			"strict",
			new IssuanceProfile("strict", Duration.ofDays(365), List.of(IssuanceProfile.EMAIL_PROTECTION), false)),
			KeyBlocklist.empty());

	private static final List<String> PROFILES = List.of("standard", "strict");

	@FuzzTest
	void inspect(byte[] der) {
		inspectWithEveryProfile(der);
	}

	@FuzzTest
	void decodePem(byte[] data) {
		byte[] der;
		try {
			der = CsrInspector.decodePem(new String(data, StandardCharsets.UTF_8));
		}
		catch (IssuanceRefusedException refused) {
			return;
		}
		inspectWithEveryProfile(der);
	}

	@FuzzTest
	void derGuard(byte[] der) throws IOException {
		if (DerGuard.problem(der, DerGuard.MAX_CSR_BYTES) != null) {
			return;
		}
		// What the guard lets through, the parser behind it must read without surprise:
		// one object, nothing left over.
		try (ASN1InputStream in = new ASN1InputStream(der)) {
			if (in.readObject() == null || in.readObject() != null) {
				throw new IllegalStateException("DerGuard accepted input that is not exactly one ASN.1 object");
			}
		}
	}

	private static void inspectWithEveryProfile(byte[] der) {
		for (String profile : PROFILES) {
			try {
				INSPECTOR.inspect(der, profile);
			}
			catch (IssuanceRefusedException refused) {
				if (refused.getMessage() == null || refused.getMessage().isBlank()) {
					throw new IllegalStateException("a refusal must say why", refused);
				}
			}
		}
	}

}
