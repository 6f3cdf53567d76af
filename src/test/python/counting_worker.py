"""A worker process for the Python client's tests: URL CHANNEL WORK_SECONDS SHUTDOWN_TIMEOUT [BATCH_SIZE].

It prints "executing <input id>" when a task starts, works for WORK_SECONDS, answers with the number of its
execution (a second execution of a task would show in its output) and runs until SIGTERM. A task whose input
says "permanent" fails with a permanent error; one that says "until_stopped" works until the service takes it
back (task_stopped()) and prints "stopped <input id>".
"""

import itertools
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "clients", "python"))

from crew_worker import TaskError, TaskResult, Worker, WorkerGroup, task_stopped  # noqa: E402

executions = itertools.count(1)


class Counting(Worker):
    name = "counting"

    def __init__(self, channel, seconds):
        self.channel = channel
        self.seconds = seconds

    def execute(self, input, parents):
        n = next(executions)
        print("executing", input.get("id"), flush=True)
        if input.get("permanent"):
            raise TaskError.permanent("the API will never accept this")
        while input.get("until_stopped") and not task_stopped():
            time.sleep(0.05)
        if input.get("until_stopped"):
            print("stopped", input.get("id"), flush=True)
        time.sleep(self.seconds)
        return TaskResult(output={"execution": n})


url, channel, seconds, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
batch = int(sys.argv[5]) if len(sys.argv) > 5 else 1
WorkerGroup([Counting(channel, seconds)], url=url, wait_seconds=2, shutdown_timeout=timeout, batch_size=batch,
            backoff=(0.1, 1.0)).run_until_signal()
print("stopped", flush=True)
