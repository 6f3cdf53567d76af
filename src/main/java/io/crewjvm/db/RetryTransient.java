package io.crewjvm.db;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@code @Transactional} service method that is run again, in a new transaction, when it loses a race that a
 * fresh attempt resolves (a deadlock with concurrent releases, a serialization failure): such a conflict is not
 * the client's fault and must not reach it as an error.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface RetryTransient {
}
