package org.certflow;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.repository.Repository;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The walls of DESIGN.md section 3, kept by the build. */
class ArchitectureTest {

	private static JavaClasses classes;

	@BeforeAll
	static void importMainClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("org.certflow");
	}

	@Test
	void useCasesKnowNeitherTheEngineNorTheWeb() {
		noClasses().that()
			.resideInAnyPackage("org.certflow.request..", "org.certflow.delivery..", "org.certflow.issuance..",
					"org.certflow.revocation..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.camunda..", "org.springframework.web..", "jakarta.servlet..")
			.allowEmptyShould(false)
			.check(classes);
	}

	@Test
	void webAndWorkflowGlueOnlyCallUseCases() {
		// By type, not by package: our repositories live in the use-case packages and a
		// call to one is compiled against our interface, so a package rule on
		// org.springframework.data never sees it.
		noClasses().that()
			.resideInAPackage("org.certflow.web..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.certflow.workflow..", "org.camunda..", "org.springframework.data..")
			.orShould()
			.dependOnClassesThat()
			.areAssignableTo(Repository.class)
			.allowEmptyShould(false)
			.check(classes);
		noClasses().that()
			.resideInAPackage("org.certflow.workflow..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.certflow.web..", "org.springframework.data..", "org.bouncycastle..")
			.orShould()
			.dependOnClassesThat()
			.areAssignableTo(Repository.class)
			.allowEmptyShould(false)
			.check(classes);
	}

	@Test
	void theRulesSeeTheClassesTheyAreAbout() {
		// A rule about classes that are not imported passes whatever the code does.
		assertThat(classes.containPackage("org.certflow.web")).isTrue();
		assertThat(classes.containPackage("org.certflow.workflow")).isTrue();
		assertThat(classes.stream().filter((c) -> c.isAssignableTo(Repository.class)).count())
			.as("repositories the glue rules guard against")
			.isGreaterThan(3);
	}

	@Test
	void onlyTheCaTouchesPrivateKeys() {
		noClasses().that()
			.resideOutsideOfPackage("org.certflow.ca..")
			.should()
			.dependOnClassesThat()
			.areAssignableTo(java.security.PrivateKey.class)
			.allowEmptyShould(false)
			.check(classes);
	}

	/**
	 * Classes of the CA that hold or use its keys. RA nodes run without a key store, so
	 * the code they run must not need any of them; the signer's publisher
	 * ({@code RevocationDataPublisher}, {@code RevocationPublishing}) is the exception.
	 */
	private static final String CA_SIGNING_CLASSES = "org\\.certflow\\.ca\\.(RevocableCertificateAuthority|CertificateAuthority"
			+ "|IssuingAuthority|CaKeys|CaKeyStore|ManagedAuthority|CrlPublisher|RootCrlPublisher|OcspResponder"
			+ "|CertificateAuthorities)(\\$.*)?";

	@Test
	void raCodeNeverNeedsTheCaKeyOrTheClassesThatSign() {
		noClasses().that()
			.resideInAnyPackage("org.certflow.web..", "org.certflow.request..", "org.certflow.delivery..",
					"org.certflow.workflow..")
			.or()
			.belongToAnyOf(org.certflow.revocation.CaPublication.class, org.certflow.revocation.RevokeCertificate.class,
					org.certflow.revocation.RevocationStore.class, org.certflow.issuance.CertificateChains.class)
			.should()
			.dependOnClassesThat()
			.haveNameMatching(CA_SIGNING_CLASSES)
			.allowEmptyShould(false)
			.check(classes);
	}

	@Test
	void theKeylessCaClassesReachNoKey() {
		noClasses().that()
			.belongToAnyOf(org.certflow.ca.OcspServer.class, org.certflow.ca.CertificateStatusRules.class)
			.should()
			.dependOnClassesThat()
			.haveNameMatching(CA_SIGNING_CLASSES)
			.orShould()
			.dependOnClassesThat()
			.areAssignableTo(java.security.PrivateKey.class)
			.orShould()
			.dependOnClassesThat()
			.areAssignableTo(org.bouncycastle.operator.ContentSigner.class)
			.allowEmptyShould(false)
			.check(classes);
	}

}
