package org.certflow.delivery;

import java.util.Properties;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.certflow.CertFlowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The embedded default's mail system: a real SMTP server with IMAP access (GreenMail),
 * bound to localhost. Each recipient's mailbox is created on first delivery and readable
 * over IMAP with login = password = the address. Port 0 picks a free port (tests).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "certflow.mail.embedded.enabled", havingValue = "true")
class EmbeddedMailServer {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedMailServer.class);

	private static final String LOOPBACK = "127.0.0.1";

	@Bean(destroyMethod = "stop")
	GreenMail greenMail(CertFlowProperties properties) {
		CertFlowProperties.Mail.Embedded embedded = properties.mail().embedded();
		GreenMail greenMail = new GreenMail(new ServerSetup[] { setup(embedded.smtpPort(), ServerSetup.PROTOCOL_SMTP),
				setup(embedded.imapPort(), ServerSetup.PROTOCOL_IMAP) });
		greenMail.start();
		log.info("Embedded mail server: SMTP on {}:{}, IMAP on {}:{} (login = password = mail address)", LOOPBACK,
				greenMail.getSmtp().getPort(), LOOPBACK, greenMail.getImap().getPort());
		return greenMail;
	}

	@Bean
	JavaMailSender mailSender(GreenMail greenMail) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost(LOOPBACK);
		sender.setPort(greenMail.getSmtp().getPort());
		Properties javaMail = new Properties();
		javaMail.put("mail.smtp.connectiontimeout", "5000");
		javaMail.put("mail.smtp.timeout", "10000");
		sender.setJavaMailProperties(javaMail);
		return sender;
	}

	private static ServerSetup setup(int port, String protocol) {
		ServerSetup setup = new ServerSetup(port, LOOPBACK, protocol);
		return (port == 0) ? setup.dynamicPort() : setup;
	}

}
