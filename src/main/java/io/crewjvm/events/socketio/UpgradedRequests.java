package io.crewjvm.events.socketio;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.jboss.logging.Logger;

/**
 * Quarkus's graceful shutdown waits for every request it counted to end, and counts a request as ended when its
 * response's end or close handlers run. A request upgraded to a WebSocket never gets there (Vert.x marks its
 * response written without running them), so one WebSocket ever opened would hold every SIGTERM for the whole
 * shutdown timeout. Once the upgrade is done the HTTP request is over: this marks it so. Quarkus has no public way
 * to say it; its wrapper's done() is called by reflection, and a Quarkus without it only costs that wait again
 * (SocketIoReplicasIT measures the shutdown).
 */
@RegisterForReflection(targets = QuarkusRequestWrapper.class, methods = true, fields = false)
final class UpgradedRequests {

    private static final Logger LOG = Logger.getLogger(UpgradedRequests.class);
    private static final Method DONE = doneMethod();

    private UpgradedRequests() {
    }

    private static Method doneMethod() {
        try {
            Method done = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            done.setAccessible(true);
            return done;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("WebSocket upgrades will hold graceful shutdown until its timeout: %s", e);
            return null;
        }
    }

    static void done(HttpServerRequest upgraded) {
        if (DONE == null) {
            return;
        }
        try {
            DONE.invoke(QuarkusRequestWrapper.get(upgraded));
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            LOG.debugf("Upgraded request not marked done: %s", e);
        }
    }
}
