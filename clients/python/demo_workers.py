"""Crew's demo workers A, B and C on crew_worker (the counterpart of `crew work`).

    python3 clients/python/demo_workers.py [--url http://localhost:3000/] [--crew-timings | --time-scale 0.1]

Crew's Worker A (channel worker_a) works 10 s per task, Worker B (worker_b) 2 s, Worker C (worker_c) 2 s and
then answers with a continuation of four children: A; B after A with A's key (it shares A's output instead of
running) and a runAfter of its own; C after A on worker_b; D after B and C, with quotes in its name and input.
The children run a minute later (childrenDelayInSeconds). An input with "throw" fails with that message.
As `crew work`, these workers take a tenth of those times by default (time scale 0.1: A 1 s, B and C 0.2 s,
the children 6 s later), so that the demo takes about 15 s; --crew-timings keeps Crew's (--time-scale 1).
"""

import argparse
import datetime
import time

from crew_worker import TaskResult, Worker, WorkerGroup

CHILDREN_DELAY_SECONDS = 60
# Crew's own durations and delays, and the default: a tenth of them (as crew work).
CREW_TIME_SCALE = 1.0
DEFAULT_TIME_SCALE = 0.1


class DemoWorker(Worker):
    work_seconds = 0

    def __init__(self, time_scale=1.0):
        if time_scale <= 0:
            raise ValueError("The time scale must be positive")
        self.time_scale = time_scale

    def execute(self, input, parents):
        input = input or {}
        if input.get("throw"):
            raise RuntimeError(str(input["throw"]))
        time.sleep(self.work_seconds * self.time_scale)
        return self.answer(input, parents)

    def answer(self, input, parents):
        raise NotImplementedError


class WorkerA(DemoWorker):
    name = "Worker A"
    channel = "worker_a"
    work_seconds = 10

    def answer(self, input, parents):
        return TaskResult(output={"message": "Worker A did it!", "at": _now().isoformat()})


class WorkerB(DemoWorker):
    name = "Worker B"
    channel = "worker_b"
    work_seconds = 2

    def answer(self, input, parents):
        return TaskResult(output={"message": "Worker B did it!", "at": _now().isoformat()})


class WorkerC(DemoWorker):
    name = "Worker ' C"
    channel = "worker_c"
    work_seconds = 2

    def answer(self, input, parents):
        child_b_after = _now() + datetime.timedelta(seconds=15 * self.time_scale)
        return TaskResult(
            output={"message": "Worker C ' did it!"},
            children_delay_in_seconds=_children_delay(self.time_scale),
            children=[
                {"_child_id": 1, "name": "Child A", "channel": "worker_a", "input": {"child": "A"},
                 "key": "same_key"},
                {"_child_id": 2, "_parent_ids": [1], "name": "Child B", "channel": "worker_a",
                 "input": {"child": "B"}, "key": "same_key",
                 "runAfter": child_b_after.isoformat(timespec="milliseconds").replace("+00:00", "Z")},
                {"_child_id": 3, "_parent_ids": [1], "name": "Child C", "channel": "worker_b",
                 "input": {"child": "C"}},
                {"_child_id": 4, "_parent_ids": [2, 3], "name": "Child ' \" D Quotes", "channel": "worker_a",
                 "input": {"child": "D oh' no a single quote! And a double quote \" too!"}},
            ])


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _timings(scale):
    """As crew work says it: Timings: A 1 s per task, B 0.2 s, C 0.2 s, C's children start 6 s after it (...)."""
    def seconds(value):
        return ("%.2f" % value).rstrip("0").rstrip(".")
    which = ("Crew's own" if scale == CREW_TIME_SCALE
             else "time scale %s of Crew's; --crew-timings for Crew's own" % seconds(scale))
    return "Timings: A %s s per task, B %s s, C %s s, C's children start %d s after it (%s)" % (
        seconds(WorkerA.work_seconds * scale), seconds(WorkerB.work_seconds * scale),
        seconds(WorkerC.work_seconds * scale), _children_delay(scale), which)


def _children_delay(scale):
    return max(1, round(CHILDREN_DELAY_SECONDS * scale))


def main():
    parser = argparse.ArgumentParser(description="Crew's demo workers A, B and C.")
    parser.add_argument("--url", help="the service (default: CREW_API_BASE_URL, else http://localhost:3000/)")
    timings = parser.add_mutually_exclusive_group()
    timings.add_argument("--crew-timings", action="store_true",
                         help="Crew's own durations and delays (the same as --time-scale 1): the demo takes about "
                              "a minute and a half")
    timings.add_argument("--time-scale", type=float, default=DEFAULT_TIME_SCALE,
                         help="multiply Crew's durations and delays by this (default %s; e.g. 0.05 for a demo of "
                              "about 5 s)" % DEFAULT_TIME_SCALE)
    args = parser.parse_args()
    if not args.time_scale > 0:
        parser.error("--time-scale must be positive")
    scale = CREW_TIME_SCALE if args.crew_timings else args.time_scale
    group = WorkerGroup([WorkerA(scale), WorkerB(scale), WorkerC(scale)], url=args.url)
    print("Demo workers A, B and C on worker_a, worker_b and worker_c at %s (Ctrl-C to stop)" % group.url,
          flush=True)
    print(_timings(scale), flush=True)
    group.run_until_signal()
    print("Stopped.", flush=True)


if __name__ == "__main__":
    main()
