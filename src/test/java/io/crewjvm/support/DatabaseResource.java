package io.crewjvm.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the test database for every {@code @QuarkusTest} of the run. */
@QuarkusTestResource(TestDatabase.class)
public final class DatabaseResource {

    private DatabaseResource() {
    }
}
