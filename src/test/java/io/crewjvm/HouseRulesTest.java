package io.crewjvm;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.crewjvm.api.Body;
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

    /**
     * The HTTP body is read where a request arrives: the resources (and the request readers they share) turn it
     * into typed commands, and services and domain code never see it.
     */
    @Test
    void only_resources_and_request_readers_read_http_bodies() {
        noClasses()
                .that(not(resideInAPackage("io.crewjvm.api..")))
                .and(not(simpleNameEndingWith("Resource")))
                .and(not(simpleNameEndingWith("Requests")))
                .should().dependOnClassesThat().belongToAnyOf(Body.class)
                .because("services and domain code take typed commands, which resources and *Requests readers "
                        + "build from the HTTP body")
                .check(SERVICE);
    }

    /** One transaction style: {@code db/Transactions}, which also retries the races a fresh attempt resolves. */
    @Test
    void units_of_work_run_through_transactions_not_annotations() {
        noClasses().should().dependOnClassesThat()
                .haveFullyQualifiedName("jakarta.transaction.Transactional")
                .because("Transactions.retrying runs a unit of work in a transaction of its own and retries it when "
                        + "it lost a race; an annotated method would not be retried")
                .check(SERVICE);
    }
}
