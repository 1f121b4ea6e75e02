package org.certflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * CertFlow: certificate authority and registration authority whose issuing path is a BPMN
 * process.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CertFlowApplication {

	public static void main(String[] args) {
		SpringApplication.run(CertFlowApplication.class, args);
	}

}
