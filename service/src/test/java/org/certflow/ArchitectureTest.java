package org.certflow;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
			.check(classes);
	}

	@Test
	void webAndWorkflowGlueOnlyCallUseCases() {
		noClasses().that()
			.resideInAPackage("org.certflow.web..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.certflow.workflow..", "org.camunda..", "org.springframework.data..")
			.check(classes);
		noClasses().that()
			.resideInAPackage("org.certflow.workflow..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.certflow.web..", "org.springframework.data..", "org.bouncycastle..")
			.check(classes);
	}

	@Test
	void onlyTheCaTouchesPrivateKeys() {
		noClasses().that()
			.resideOutsideOfPackage("org.certflow.ca..")
			.should()
			.dependOnClassesThat()
			.areAssignableTo(java.security.PrivateKey.class)
			.check(classes);
	}

}
