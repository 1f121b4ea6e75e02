package org.certflow.tls;

import java.nio.file.Path;
import java.time.Clock;

import org.certflow.CertFlowPropertiesFixture;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.web.ServerProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class HttpsConnectorTest {

	@Test
	void opensWithTheEmbeddedSignerUnlessTurnedOff() {
		assertThat(connector(null).wanted(true)).isTrue();
		assertThat(connector(null).wanted(false)).as("an RA node").isFalse();
		assertThat(connector(false).wanted(true)).isFalse();
		assertThat(connector(false).wanted(false)).isFalse();
		assertThat(connector(true).wanted(true)).isTrue();
	}

	@Test
	void refusesHttpsOnAnRaNodeWithoutASignerToIssueItsCertificate() {
		assertThatIllegalStateException().isThrownBy(() -> connector(true).wanted(false))
			.withMessageContaining("certflow.https.enabled=true")
			.withMessageContaining("certflow.behind-tls-proxy=true");
	}

	private static HttpsConnector connector(Boolean enabled) {
		return new HttpsConnector(new HttpsSettings(enabled, 0, "localhost"),
				CertFlowPropertiesFixture.properties(Path.of("data"), false, true, "admin", true),
				new ServerProperties(), Clock.systemUTC());
	}

}
