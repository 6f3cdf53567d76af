package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A kind of work: what to do with a task of one channel. Run it with a {@link WorkerGroup}, which calls
 * {@link #execute} from as many threads as its concurrency, so keep no per-task state in fields.
 */
public abstract class Worker {

    private final String name;
    private final String channel;

    protected Worker(String name, String channel) {
        if (name == null || name.isBlank() || channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("A worker needs a name and a channel");
        }
        this.name = name;
        this.channel = channel;
    }

    /**
     * Runs one task.
     *
     * @param input   the task's input (JSON null when it has none)
     * @param parents its parents, each with its output, in the order of the task's {@code parentIds}
     * @return the output, with continuation children and delays if any; null for no output
     * @throws TaskError for a structured error or a workgroup delay; any other exception fails the attempt with
     *                   its message. Either way the task retries while it has attempts left.
     */
    public abstract TaskResult execute(JsonNode input, List<Parent> parents) throws Exception;

    public final String name() {
        return name;
    }

    public final String channel() {
        return channel;
    }
}
