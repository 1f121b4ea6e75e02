package org.certflow.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production layout, each part a process of its own: two RA nodes that never open the
 * CA key store and one signer that alone holds it, on one database. Requests are invited,
 * submitted and approved across both nodes; every one is issued exactly once. On H2 the
 * nodes share the database file through H2's automatic server mode; CI runs the same test
 * on MariaDB with 200 requests ({@code certflow.cluster.*} properties).
 */
class ClusterTest {

	static final Pattern ISSUED = Pattern.compile("Issued serial ([0-9a-f]+) for request ([0-9a-f-]{36})");

	private static final int REQUESTS = Integer.getInteger("certflow.cluster.requests", 24);

	@TempDir
	Path temp;

	@Test
	void twoRaNodesAndOneSignerIssueEveryRequestExactlyOnce() throws Exception {
		List<String> common = databaseArgs(this.temp);
		String password = "cluster-signer-" + UUID.randomUUID();
		common.add("--certflow.signer.password=" + password);
		List<String> ra = new ArrayList<>(common);
		ra.add("--certflow.role=ra");
		try (ForkedCertFlow ra1 = ForkedCertFlow.start(this.temp.resolve("ra1"), "ra1.log", ra.toArray(String[]::new));
				ForkedCertFlow ra2 = ForkedCertFlow.start(this.temp.resolve("ra2"), "ra2.log",
						ra.toArray(String[]::new));
				ForkedCertFlow signer = ForkedCertFlow.signer(this.temp.resolve("signer"), "signer.log",
						signerArgs(common, ra1, "PT30S"))) {
			List<ForkedCertFlow> nodes = List.of(ra1, ra2);
			List<Integer> imap = List.of(Applicants.imapPort(ra1), Applicants.imapPort(ra2));
			ExecutorService people = Executors.newFixedThreadPool(4);
			try {
				List<Future<String[]>> submitted = new ArrayList<>();
				for (int i = 0; i < REQUESTS; i++) {
					ForkedCertFlow inviteAt = nodes.get(i % 2);
					ForkedCertFlow applyAt = nodes.get((i + 1) % 2);
					submitted.add(people.submit(() -> Applicants.pendingApplication(inviteAt, applyAt, imap)));
				}
				List<Future<Boolean>> approvals = new ArrayList<>();
				for (int i = 0; i < REQUESTS; i++) {
					String[] application = submitted.get(i).get(3, TimeUnit.MINUTES);
					ForkedCertFlow approveAt = nodes.get(i % 2);
					approvals.add(people.submit(() -> Applicants.approve(approveAt, application)));
				}
				for (Future<Boolean> approval : approvals) {
					assertThat(approval.get(2, TimeUnit.MINUTES)).isTrue();
				}
				List<String> requestIds = new ArrayList<>();
				for (Future<String[]> application : submitted) {
					requestIds.add(application.get()[0]);
				}
				Map<String, String> serials = awaitIssued(nodes, requestIds);

				assertThat(new HashSet<>(serials.values())).as("one serial per request").hasSize(REQUESTS);
				Map<String, Integer> signed = signedPerRequest(signer.log());
				assertThat(signed).as("requests the signer signed").hasSize(REQUESTS);
				assertThat(signed.values()).as("signatures per request").containsOnly(1);
				for (ForkedCertFlow node : nodes) {
					for (String serial : serials.values()) {
						assertThat(node.send("GET", "/api/v1/certificates/" + serial, null, "admin").statusCode())
							.isEqualTo(200);
					}
					assertThat(node.send("GET", "/api/v1/audit/verification", null, "admin").body())
						.contains("\"valid\":true");
					// Revocation data the signer produced, served by a node without the
					// key.
					assertThat(node.send("GET", "/ca/crl", null, null).statusCode()).isEqualTo(200);
					assertThat(node.send("GET", "/ca/chain.pem", null, null).body()).contains("BEGIN CERTIFICATE");
				}
			}
			finally {
				people.shutdownNow();
			}
		}
		// The RA nodes ran without the CA: nothing of it was ever in their folders.
		for (String node : List.of("ra1", "ra2")) {
			assertThat(this.temp.resolve(node).resolve("ca")).as(node + " has no CA folder").doesNotExist();
		}
		assertThat(this.temp.resolve("signer").resolve("ca").resolve("ca.p12")).exists();
	}

	/**
	 * Where the nodes' database is: MariaDB when CI names it, else one shared H2 file.
	 */
	static List<String> databaseArgs(Path temp) {
		List<String> args = new ArrayList<>();
		// Mail retried quickly, and a mail a node claimed but could not finish is taken
		// over in seconds, not the production two minutes.
		args.add("--certflow.mail.delivery.first-retry-delay=PT1S");
		args.add("--certflow.mail.delivery.max-retry-delay=PT5S");
		args.add("--certflow.mail.delivery.claim-duration=PT30S");
		String url = System.getProperty("certflow.cluster.datasource-url", "");
		if (url.isBlank()) {
			args.add("--spring.datasource.url=jdbc:h2:retry:" + temp.resolve("shared-db").resolve("certflow")
					+ ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
			return args;
		}
		args.add("--spring.datasource.url=" + url);
		args.add("--spring.datasource.username=" + System.getProperty("certflow.cluster.datasource-username", "root"));
		args.add("--spring.datasource.password=" + System.getProperty("certflow.cluster.datasource-password", ""));
		args.add("--spring.datasource.driver-class-name=com.mysql.cj.jdbc.Driver");
		args.add("--camunda.bpm.database.type=mysql");
		return args;
	}

	/**
	 * The signer's settings: the RA node it fetches from, its lock, and a short long
	 * poll: a fetch parked on one node is not woken by tasks created on the other, so it
	 * returns and fetches again every second.
	 */
	static String[] signerArgs(List<String> common, ForkedCertFlow ra, String lock) {
		List<String> args = new ArrayList<>(common);
		args.add("--certflow.signer.engine-url=http://127.0.0.1:" + ra.port() + "/engine-rest");
		args.add("--certflow.signer.long-poll=PT1S");
		args.add("--certflow.signer.lock-duration=" + lock);
		return args.toArray(String[]::new);
	}

	static Map<String, String> awaitIssued(List<ForkedCertFlow> nodes, List<String> requestIds) throws Exception {
		Map<String, String> serials = new ConcurrentHashMap<>();
		long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
		Set<String> open = new HashSet<>(requestIds);
		int i = 0;
		while (!open.isEmpty() && System.nanoTime() < until) {
			for (String requestId : List.copyOf(open)) {
				String[] status = Applicants.status(nodes.get(i++ % nodes.size()), requestId);
				if ("ISSUED".equals(status[0])) {
					serials.put(requestId, status[1]);
					open.remove(requestId);
				}
			}
			if (!open.isEmpty()) {
				Thread.sleep(500);
			}
		}
		assertThat(open).as("approved requests not issued within 5 minutes").isEmpty();
		return serials;
	}

	static Map<String, Integer> signedPerRequest(String... logs) {
		Map<String, Integer> signed = new ConcurrentHashMap<>();
		for (String log : logs) {
			Matcher issued = ISSUED.matcher(log);
			while (issued.find()) {
				signed.merge(issued.group(2), 1, Integer::sum);
			}
		}
		return signed;
	}

}
