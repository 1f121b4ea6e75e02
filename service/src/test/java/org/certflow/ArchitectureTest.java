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

	/**
	 * A refusal from a use case is a 4xx problem on every API controller, not only on the
	 * ones someone remembered to list: a new controller missing from {@code ApiErrors}
	 * answered 500.
	 */
	@Test
	void everyApiControllerOfTheWebLayerHasItsRefusalsTurnedIntoProblems() throws Exception {
		Class<?> apiErrors = Class.forName("org.certflow.web.ApiErrors");
		java.util.Set<Class<?>> covered = java.util.Set
			.of(apiErrors.getAnnotation(org.springframework.web.bind.annotation.RestControllerAdvice.class)
				.assignableTypes());
		java.util.List<String> missing = classes.stream()
			.filter((c) -> c.getPackageName().equals("org.certflow.web"))
			.filter((c) -> c.isAnnotatedWith(org.springframework.web.bind.annotation.RestController.class))
			.filter((c) -> c.getSimpleName().endsWith("ApiController"))
			.map(com.tngtech.archunit.core.domain.JavaClass::reflect)
			.filter((c) -> !covered.contains(c))
			.map(Class::getSimpleName)
			.toList();
		assertThat(missing).as("API controllers missing from ApiErrors").isEmpty();
	}

	@Test
	void useCasesKnowNeitherTheEngineNorTheWeb() {
		noClasses().that()
			.resideInAnyPackage("org.certflow.request..", "org.certflow.delivery..", "org.certflow.issuance..",
					"org.certflow.revocation..", "org.certflow.billing..", "org.certflow.directory..",
					"org.certflow.lifecycle..")
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
		// Besides the CA, only serverkey: it makes subscribers' key pairs on the RA (key
		// source SERVER) and keeps them sealed to the applicant's password; it holds no
		// CA
		// key and, like every RA package, cannot reach the signing classes (below).
		noClasses().that()
			.resideOutsideOfPackages("org.certflow.ca..", "org.certflow.serverkey..")
			.should()
			.dependOnClassesThat()
			.areAssignableTo(java.security.PrivateKey.class)
			.allowEmptyShould(false)
			.check(classes);
	}

	@Test
	void theRaNeverReachesTheCaKey() {
		// Everything an RA node builds: none of it may reach the signer or a class of the
		// CA that holds or uses its keys. Only the composition root (CertFlowApplication,
		// EmbeddedSigner) names the signer, to start it.
		noClasses().that()
			.resideInAnyPackage("org.certflow.web..", "org.certflow.request..", "org.certflow.delivery..",
					"org.certflow.workflow..", "org.certflow.revocation..", "org.certflow.issuance..",
					"org.certflow.security..", "org.certflow.audit..", "org.certflow.support..",
					"org.certflow.serverkey..", "org.certflow.tls..", "org.certflow.billing..",
					"org.certflow.directory..", "org.certflow.lifecycle..")
			.should()
			.dependOnClassesThat()
			.haveNameMatching(SIGNING_CLASSES)
			.allowEmptyShould(false)
			.check(classes);
	}

	@Test
	void theSigningClassesAreWhereTheRuleLooks() {
		// The rule above names classes by pattern: each must exist, or it guards nothing.
		for (String name : new String[] { "org.certflow.signer.IssueCertificate", "org.certflow.ca.IssuingAuthority",
				"org.certflow.ca.CaKeyStore", "org.certflow.ca.CaKeys",
				"org.certflow.ca.RevocableCertificateAuthority" }) {
			assertThat(classes.contain(name)).as(name).isTrue();
			assertThat(name).matches(SIGNING_CLASSES);
		}
	}

	/** Classes of the CA that hold or use its keys. */
	private static final String CA_SIGNING_CLASSES = "org\\.certflow\\.ca\\.(RevocableCertificateAuthority|CertificateAuthority"
			+ "|IssuingAuthority|CaKeys|CaKeyStore|ManagedAuthority|CrlPublisher|RootCrlPublisher|OcspResponder"
			+ "|CertificateAuthorities)(\\$.*)?";

	private static final String SIGNING_CLASSES = "org\\.certflow\\.signer\\..*|org\\.certflow\\.ca\\."
			+ "(IssuingAuthority|CaKeys|CaKeyStore|ManagedAuthority|CrlPublisher|RootCrlPublisher|OcspResponder"
			+ "|CertificateAuthorities|CertificateAuthority|RevocableCertificateAuthority)(\\$.*)?";

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
