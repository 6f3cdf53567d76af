#!/usr/bin/env python3
"""Batch-1 worker throughput of Python `requests` clients against a running Crew service.

Creates a group and --tasks tasks on a fresh channel through the bulk API (untimed), then --workers threads, each
with its own requests.Session, acquire and release tasks one at a time (no wait on an empty channel) until all are
done. Prints one JSON line:
  {"client":"python-requests","tasks":N,"workers":W,"seconds":S,"tasksPerSecond":R}
Bounded: it gives up after --timeout seconds (exit status 1, with an "error" in the JSON line).

  python3 bench/clients/python_worker_bench.py --url http://127.0.0.1:3000/ --tasks 10000 --workers 8
"""
import argparse
import json
import sys
import threading
import time
import uuid

import requests

CHUNK = 10_000  # the bulk API takes at most 10,000 tasks a request


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:3000/", help="service base URL")
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=600, help="seconds before giving up")
    args = parser.parse_args()
    api = args.url.rstrip("/") + "/api/v1/"
    deadline = time.monotonic() + args.timeout

    with requests.Session() as session:
        reply = session.post(api + "task_groups", json={"name": "python-bench"}, timeout=30)
        reply.raise_for_status()
        group = reply.json()["_id"]
        channel = "py-%d-%s" % (args.workers, uuid.uuid4().hex[:12])
        for start in range(0, args.tasks, CHUNK):
            tasks = [{"name": "t", "channel": channel, "input": {"n": i}}
                     for i in range(start, min(args.tasks, start + CHUNK))]
            session.post(api + "task_group/%s/tasks/bulk" % group, json={"tasks": tasks},
                         timeout=300).raise_for_status()

    lock = threading.Lock()
    state = {"done": 0, "error": None}

    def work(worker_id):
        acquire = api + "channel/%s/acquire" % channel
        try:
            with requests.Session() as s:
                while True:
                    with lock:
                        if state["done"] >= args.tasks or state["error"]:
                            return
                    if time.monotonic() > deadline:
                        raise TimeoutError("gave up after %s s" % args.timeout)
                    reply = s.post(acquire, json={"workerId": worker_id}, timeout=60)
                    reply.raise_for_status()
                    task = reply.json().get("task")
                    if not task:
                        continue
                    s.post(api + "task/%s/release" % task["_id"],
                           json={"workerId": worker_id, "output": {"ok": True}}, timeout=60).raise_for_status()
                    with lock:
                        state["done"] += 1
        except Exception as e:  # the first failure ends every thread
            with lock:
                state["error"] = state["error"] or "%s: %s" % (type(e).__name__, e)

    threads = [threading.Thread(target=work, args=("py-%d" % w,), daemon=True) for w in range(args.workers)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()) + 65)  # a request's own timeout bounds the rest
    seconds = time.perf_counter() - started

    result = {"client": "python-requests", "tasks": args.tasks, "workers": args.workers,
              "seconds": round(seconds, 2), "tasksPerSecond": round(state["done"] / seconds, 2)}
    alive = sum(t.is_alive() for t in threads)
    if state["error"] or state["done"] < args.tasks or alive:
        result["error"] = state["error"] or "%d of %d tasks done, %d threads still running" % (
            state["done"], args.tasks, alive)
        print(json.dumps(result), flush=True)
        sys.exit(1)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
