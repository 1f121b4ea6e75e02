package org.certflow.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signer process killed with SIGKILL in the middle of a batch loses nothing and signs
 * nothing twice: the tasks it held come back when their locks expire and the next signer
 * signs them; a serial it had reserved but not used is burned, never reused.
 */
class SignerKillTest {

	private static final int REQUESTS = 30;

	@TempDir
	Path temp;

	@Test
	void aSignerKilledMidBatchLosesAndDuplicatesNothing() throws Exception {
		List<String> common = ClusterTest.databaseArgs(this.temp);
		common.add("--certflow.signer.password=kill-signer-" + UUID.randomUUID());
		List<String> ra = new ArrayList<>(common);
		ra.add("--certflow.role=ra");
		try (ForkedCertFlow node = ForkedCertFlow.start(this.temp.resolve("ra"), "ra.log", ra.toArray(String[]::new))) {
			List<Integer> imap = List.of(Applicants.imapPort(node));
			ExecutorService people = Executors.newFixedThreadPool(4);
			List<String[]> pending = new ArrayList<>();
			try {
				List<Future<String[]>> submitted = new ArrayList<>();
				for (int i = 0; i < REQUESTS; i++) {
					submitted.add(people.submit(() -> Applicants.pendingApplication(node, node, imap)));
				}
				for (Future<String[]> application : submitted) {
					pending.add(application.get(3, TimeUnit.MINUTES));
				}
			}
			finally {
				people.shutdownNow();
			}
			String firstLog;
			// A short lock, so the dead signer's tasks come back within seconds.
			try (ForkedCertFlow first = ForkedCertFlow.signer(this.temp.resolve("signer"), "signer-1.log",
					ClusterTest.signerArgs(common, node, "PT5S"))) {
				for (String[] application : pending) {
					Applicants.approve(node, application);
				}
				long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
				// Killed as soon as the first certificate is logged: the rest of its
				// batch is then in flight or locked to it.
				while (ClusterTest.signedPerRequest(first.log()).isEmpty() && System.nanoTime() < until) {
					Thread.sleep(2);
				}
				first.kill();
				firstLog = first.log();
			}
			int signedBeforeKill = ClusterTest.signedPerRequest(firstLog).size();
			assertThat(signedBeforeKill).as("killed mid-batch, not after it").isBetween(1, REQUESTS - 1);

			try (ForkedCertFlow second = ForkedCertFlow.signer(this.temp.resolve("signer"), "signer-2.log",
					ClusterTest.signerArgs(common, node, "PT5S"))) {
				List<String> requestIds = pending.stream().map((application) -> application[0]).toList();
				Map<String, String> serials = ClusterTest.awaitIssued(List.of(node), requestIds);
				assertThat(new HashSet<>(serials.values())).as("one serial per request").hasSize(REQUESTS);
				// The serials the RA recorded are the record: one per request, all
				// different.
				// The logs only show that no request was signed twice; the killed
				// signer's
				// last lines (a certificate committed to the journal a moment before the
				// kill) may never reach its log.
				Map<String, Integer> signed = ClusterTest.signedPerRequest(firstLog, second.log());
				assertThat(requestIds).as("requests signed by the two signers together").containsAll(signed.keySet());
				assertThat(signed.size()).as("requests whose signing was logged").isGreaterThan(REQUESTS / 2);
				assertThat(signed.values()).as("signatures per request").containsOnly(1);
				assertThat(node.send("GET", "/api/v1/audit/verification", null, "admin").body())
					.contains("\"valid\":true");
				System.out.printf("signer killed after %d of %d certificates; the next signer issued the rest, "
						+ "each request exactly once%n", signedBeforeKill, REQUESTS);
			}
		}
		assertThat(this.temp.resolve("ra").resolve("ca")).as("the RA node has no CA folder").doesNotExist();
	}

}
