package org.certflow.web;

import java.util.UUID;

import org.bouncycastle.cert.ocsp.OCSPResp;
import org.certflow.revocation.CaPublication;
import org.certflow.revocation.RevocationStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A node on a database the signer has not published to yet: it has no CA key to fall back
 * on, so it says so (503 with a problem body) rather than fail or make something up.
 */
class CaMaterialBeforePublicationTest {

	private MockMvc mvc;

	@BeforeEach
	void nodeOnAnEmptyDatabase() {
		DriverManagerDataSource database = new DriverManagerDataSource(
				"jdbc:h2:mem:unpublished-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
		CaPublication publication = new CaPublication(new RevocationStore(new JdbcTemplate(database)));
		this.mvc = MockMvcBuilders.standaloneSetup(new CaPublicationController(publication)).build();
	}

	@Test
	void caCertificatesAndCrlsAreServiceUnavailableWithAProblemBody() throws Exception {
		for (String path : new String[] { "/ca/crl", "/ca/root.crl", "/ca/chain.pem", "/ca/issuing-ca.cer" }) {
			this.mvc.perform(get(path))
				.andExpect(status().isServiceUnavailable())
				.andExpect(content().contentTypeCompatibleWith("application/problem+json"))
				.andExpect(header().string("Retry-After", "5"))
				.andExpect(jsonPath("$.status").value(503))
				.andExpect(
						jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("signer has not published")));
		}
	}

	@Test
	void ocspAnswersTryLater() throws Exception {
		MvcResult result = this.mvc
			.perform(post("/ocsp").contentType("application/ocsp-request").content(new byte[] { 0x30, 0x00 }))
			.andExpect(status().isOk())
			.andExpect(content().contentType("application/ocsp-response"))
			.andReturn();
		assertThat(new OCSPResp(result.getResponse().getContentAsByteArray()).getStatus())
			.isEqualTo(OCSPResp.TRY_LATER);
	}

}
