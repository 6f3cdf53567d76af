package io.crewjvm;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The structure of the code, checked on its compiled classes. */
class HouseRulesTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.crewjvm");

    @Test
    void no_two_feature_packages_depend_on_each_other() {
        slices().matching("io.crewjvm.(*)..").should().beFreeOfCycles().check(SERVICE);
    }
}
