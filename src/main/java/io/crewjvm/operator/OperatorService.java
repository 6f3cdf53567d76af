package io.crewjvm.operator;

import io.crewjvm.api.ApiException;
import io.crewjvm.api.Ids;
import io.crewjvm.api.JsonValues;
import io.crewjvm.api.Paging;
import io.crewjvm.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Operators: which URL receives the tasks of a channel. Unlike Crew, the fields are validated (400 naming the
 * field, see {@link OperatorResource}): a channel, an absolute http(s) URL, a requestConfig object, a boolean
 * isPaused.
 */
@ApplicationScoped
public class OperatorService {

    private final OperatorRepository operators;

    OperatorService(OperatorRepository operators) {
        this.operators = operators;
    }

    public List<OperatorView> list(Paging paging) {
        return operators.page(paging.limit(), paging.skip());
    }

    public long count() {
        return operators.count();
    }

    public OperatorView get(String id) {
        return operators.get(id).orElseThrow(() -> notFound(id));
    }

    public OperatorView create(NewOperator operator) {
        return operators.insert(Ids.newId(), operator.channel(), operator.url(), operator.requestConfig(),
                operator.isPaused());
    }

    /** Changes the fields the change names; the others are left as they are. */
    public OperatorView update(String id, OperatorChange change) {
        return Transactions.retrying(() -> {
            OperatorView current = operators.lock(id).orElseThrow(() -> notFound(id));
            return operators.update(id,
                    change.setsChannel() ? change.channel() : current.channel(),
                    change.setsUrl() ? change.url() : current.url(),
                    change.setsRequestConfig() ? change.requestConfig()
                            : current.requestConfig() == null ? null : JsonValues.write(current.requestConfig()),
                    change.setsIsPaused() ? change.isPaused() : current.isPaused());
        });
    }

    /** Deletes an operator; how many were deleted (0 when there was none, as in Crew). */
    public int delete(String id) {
        return operators.delete(id);
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("Operator with id " + id + " not found!");
    }
}
