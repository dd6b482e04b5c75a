package io.tracemark.trace.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The service is packaged by feature, and features depend on each other one way only: a change
 * to one never has to be understood through a loop back into itself.
 */
class PackageStructureTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tracemark.trace");

    @Test
    void noFeatureDependsOnItselfThroughAnother() {
        slices().matching("io.tracemark.trace.(*)..").should().beFreeOfCycles().check(SERVICE);
    }

    @Test
    void servicesNeverImportResources() {
        // The demo plays a brand's staff through the API's resources, as a user would: it is the exception.
        noClasses().that().haveSimpleNameNotEndingWith("Resource").and().haveSimpleNameNotStartingWith("Console")
                .and().resideOutsideOfPackage("io.tracemark.trace.demo..")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Resource")
                .because("a resource is the HTTP face of a feature: logic and records live outside it").check(SERVICE);
    }
}
