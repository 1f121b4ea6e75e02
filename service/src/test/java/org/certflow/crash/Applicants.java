package org.certflow.crash;

import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An RA admin, applicants and an officer driving forked CertFlow nodes over HTTP and
 * IMAP, as people would. A node's mail may leave through any node's outbox, so mail is
 * read from every node's embedded mail server.
 */
final class Applicants {

	static final Pattern IMAP_PORT = Pattern.compile("IMAP on [0-9.]+:(\\d+)");

	private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

	private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

	private static final Pattern TASK_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

	private static final Pattern SERIAL = Pattern.compile("\"certificateSerial\"\\s*:\\s*\"([0-9a-f]+)\"");

	private Applicants() {
	}

	/** The IMAP port of a node's embedded mail server, from its log. */
	static int imapPort(ForkedCertFlow node) throws Exception {
		Matcher imap = IMAP_PORT.matcher(node.log());
		assertThat(imap.find()).as("the embedded mail server's IMAP port in the log").isTrue();
		return Integer.parseInt(imap.group(1));
	}

	/**
	 * Invites on one node, reads the mail, submits a CSR on another; returns the request
	 * id and the officer's task id.
	 */
	static String[] pendingApplication(ForkedCertFlow inviteAt, ForkedCertFlow applyAt, List<Integer> imapPorts)
			throws Exception {
		String email = "node-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
		HttpResponse<String> invited = inviteAt.send("POST", "/api/v1/invitations",
				"{\"email\":\"" + email + "\",\"fullName\":\"Ada Applicant\",\"certificateClass\":\"standard\"}",
				"admin");
		assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
		Matcher id = REQUEST_ID.matcher(invited.body());
		assertThat(id.find()).isTrue();
		String requestId = id.group(1);
		String token = awaitToken(email, imapPorts);
		HttpResponse<String> submitted = applyAt.send("POST", "/api/v1/applications",
				"{\"invitationToken\":\"" + token + "\",\"csrPem\":\"" + csrPem().replace("\n", "\\n")
						+ "\",\"fullName\":\"Ada Applicant\",\"email\":\"" + email + "\"}",
				null);
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < until) {
			HttpResponse<String> tasks = applyAt.send("GET",
					"/engine-rest/task?processInstanceBusinessKey=" + requestId, null, "officer");
			Matcher task = TASK_ID.matcher(tasks.body());
			if (tasks.statusCode() == 200 && task.find()) {
				return new String[] { requestId, task.group(1) };
			}
			Thread.sleep(200);
		}
		throw new AssertionError("No officer task for " + requestId);
	}

	/** The officer approves; true when the node answered 204. */
	static boolean approve(ForkedCertFlow node, String[] application) throws Exception {
		HttpResponse<String> completed = node.send("POST", "/engine-rest/task/" + application[1] + "/complete",
				"{\"variables\":{\"decision\":{\"value\":\"approve\"}}}", "officer");
		assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
		return true;
	}

	/** The request's status and serial as the RA API reports them: {status, serial}. */
	static String[] status(ForkedCertFlow node, String requestId) throws Exception {
		HttpResponse<String> request = node.send("GET", "/api/v1/requests/" + requestId, null, "admin");
		assertThat(request.statusCode()).as(request.body()).isEqualTo(200);
		Matcher status = STATUS.matcher(request.body());
		assertThat(status.find()).isTrue();
		Matcher serial = SERIAL.matcher(request.body());
		return new String[] { status.group(1), serial.find() ? serial.group(1) : null };
	}

	private static String awaitToken(String email, List<Integer> imapPorts) throws Exception {
		long until = System.nanoTime() + Duration.ofSeconds(150).toNanos();
		while (System.nanoTime() < until) {
			for (int port : imapPorts) {
				String token = token(email, port);
				if (token != null) {
					return token;
				}
			}
			Thread.sleep(200);
		}
		throw new AssertionError("No invitation reached " + email);
	}

	private static String token(String email, int imapPort) throws Exception {
		Properties properties = new Properties();
		properties.put("mail.imap.host", "127.0.0.1");
		properties.put("mail.imap.port", String.valueOf(imapPort));
		Store store = Session.getInstance(properties).getStore("imap");
		try {
			store.connect(email, email);
			Folder inbox = store.getFolder("INBOX");
			inbox.open(Folder.READ_ONLY);
			try {
				for (Message message : inbox.getMessages()) {
					Matcher token = TOKEN.matcher(message.getContent().toString());
					if (token.find()) {
						return token.group(1);
					}
				}
			}
			finally {
				inbox.close(false);
			}
		}
		catch (jakarta.mail.AuthenticationFailedException ex) {
			// The mailbox exists once the first mail has arrived.
		}
		finally {
			store.close();
		}
		return null;
	}

	static String csrPem() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair key = generator.generateKeyPair();
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), key.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
		}
		return out.toString();
	}

}
