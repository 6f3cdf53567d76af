package io.crewjvm.db;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Runs {@link RetryTransient} methods through {@link Transactions#retryTransient}. Its priority puts it outside the
 * transaction interceptor ({@code PLATFORM_BEFORE + 200}), so each attempt gets a transaction of its own.
 */
@RetryTransient
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class RetryTransientInterceptor {

    @AroundInvoke
    Object retry(InvocationContext context) {
        return Transactions.retryTransient(() -> {
            try {
                return context.proceed();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
