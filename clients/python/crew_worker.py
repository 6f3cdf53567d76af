"""Polling workers for Crew for the JVM (and Crew 1.0.25), on the Python standard library alone.

    from crew_worker import Worker, WorkerGroup, TaskResult, TaskError

    class Resize(Worker):
        name = "Resize"
        channel = "resize"

        def execute(self, input, parents):
            return TaskResult(output={"width": input["width"] // 2})

    WorkerGroup([Resize()], url="http://localhost:3000/").run_until_signal()

Each worker thread long-polls its channel (``waitSeconds``) or polls at an interval with jitter, keeps the
lease of a long task alive with heartbeats, and releases its result with the lease's ``attempt``: a release
sent again after a lost answer (network errors and 5xx are retried with backoff, 4xx never) cannot end a later
lease. SIGTERM or SIGINT stops taking tasks, lets the tasks in hand finish for up to the shutdown timeout,
releases the unfinished ones as failed, and returns, so the program exits 0.
"""

import datetime
import http.client
import json
import os
import random
import signal
import socket
import threading
import time
import urllib.parse
import uuid

__all__ = ["Worker", "WorkerGroup", "TaskResult", "TaskError", "CrewClient", "CrewApiError"]

MAX_WAIT_SECONDS = 30
# After the shutdown timeout, the time left to deliver the releases still under way.
RELEASE_GRACE_SECONDS = 5
POLL_JITTER = 0.2
HEARTBEATS_PER_LEASE = 4.0


class TaskError(Exception):
    """A failure with a structured error: ``output`` (any JSON) is recorded instead of the message.

    ``workgroup_delay_in_seconds`` pauses every task of the task's workgroup (a rate limit); when the task has a
    workgroup, such a failure costs it no attempt. ``retryable=False`` (or ``TaskError.permanent(...)``) says the
    error will never go away: the task fails for good at once, whatever attempts it has left.
    ``workgroup_budget=(remaining, reset_in_seconds)`` reports the API's own view of the workgroup's budget (a
    429's ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``): the service lowers the budget to it, and with
    nothing left the failure costs the task no attempt.
    """

    def __init__(self, message, output=None, workgroup_delay_in_seconds=0, retryable=True, workgroup_budget=None):
        super().__init__(message)
        self.output = output
        self.workgroup_delay_in_seconds = workgroup_delay_in_seconds
        self.retryable = retryable
        self.workgroup_budget = workgroup_budget

    @classmethod
    def permanent(cls, message, output=None):
        """An error that retrying cannot fix: the release says ``"retryable": false``."""
        return cls(message, output=output, retryable=False)


_current = threading.local()


def task_stopped():
    """True, in ``execute``, once the service no longer wants the running task's result: it was cancelled, its
    attempt timed out or its lease was reclaimed (a heartbeat heard 409). The result is dropped; stop soon."""
    flight = getattr(_current, "flight", None)
    return flight is not None and flight.stopped.is_set()


class TaskResult:
    """A successful execution: the output, continuation children (Crew's TaskChild dicts), delays, and the API's
    own view of the workgroup's budget (``workgroup_budget=(remaining, reset_in_seconds)``, see TaskError)."""

    def __init__(self, output=None, children=None, children_delay_in_seconds=0, workgroup_delay_in_seconds=0,
                 workgroup_budget=None):
        self.output = output
        self.children = children or []
        self.children_delay_in_seconds = children_delay_in_seconds
        self.workgroup_delay_in_seconds = workgroup_delay_in_seconds
        self.workgroup_budget = workgroup_budget


def _budget(body, budget):
    if budget is not None:
        remaining, reset_in_seconds = budget
        body["workgroupBudget"] = {"remaining": remaining, "resetInSeconds": reset_in_seconds}


class Worker:
    """A kind of work: set ``name`` and ``channel``, and implement ``execute``.

    ``execute(input, parents)`` gets the task's input and its parents (dicts with ``_id``, ``channel``,
    ``input``, ``output``) and returns a TaskResult (or any JSON value, taken as the output). It may run on
    several threads at once: keep no per-task state on the instance.
    """

    name = None
    channel = None

    def execute(self, input, parents):
        raise NotImplementedError


class CrewApiError(Exception):
    """The service answered with an error status; ``message`` is its ``{"message": ...}``."""

    def __init__(self, status, message):
        super().__init__("%d: %s" % (status, message))
        self.status = status
        self.message = message


class CrewClient:
    """The REST API over one persistent HTTP/1.1 connection: one client per thread."""

    def __init__(self, url, request_timeout=30):
        parts = urllib.parse.urlsplit(url if url.endswith("/") else url + "/")
        self.url = parts.geturl()
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path
        self._timeout = request_timeout
        self._connection = None
        self._lock = threading.Lock()

    def acquire(self, channel, worker_id, limit=1, lease_seconds=None, wait_seconds=0):
        """Leases up to ``limit`` tasks of a channel: a list of ``{"task": ..., "parents": [...]}``."""
        body = {"workerId": worker_id}
        if limit > 1:
            body["limit"] = limit
        if lease_seconds is not None:
            body["leaseSeconds"] = lease_seconds
        if wait_seconds > 0:
            body["waitSeconds"] = wait_seconds
        path = "api/v1/channel/%s/%s" % (_segment(channel), "acquire_batch" if limit > 1 else "acquire")
        answer = self.call("POST", path, body, extra_timeout=wait_seconds)
        if limit > 1:
            return answer.get("tasks", [])
        return [answer] if answer.get("task") else []

    def release(self, task_id, body):
        return self.call("POST", "api/v1/task/%s/release" % _segment(task_id), body)

    def release_all(self, releases):
        """One call for many releases (each a release body with its ``taskId``): their results, in order."""
        answer = self.call("POST", "api/v1/tasks/release", {"releases": releases},
                           headers={"Prefer": "return=minimal"})
        return answer.get("results", [])

    def heartbeat(self, task_id, worker_id, attempt=None, lease_seconds=None):
        body = {"workerId": worker_id}
        if attempt is not None:
            body["attempt"] = attempt
        if lease_seconds is not None:
            body["leaseSeconds"] = lease_seconds
        return self.call("POST", "api/v1/task/%s/heartbeat" % _segment(task_id), body)

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body):
        return self.call("POST", path, body)

    def call(self, method, path, body=None, headers=None, extra_timeout=0):
        """The JSON answer; CrewApiError for an error status, OSError (or HTTPException) for the network."""
        connection = self._connect(self._timeout + extra_timeout)
        sent = {"Content-Type": "application/json"} if body is not None else {}
        sent.update(headers or {})
        try:
            connection.request(method, self._prefix + path,
                               body=None if body is None else json.dumps(body).encode("utf-8"), headers=sent)
            response = connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        text = raw.decode("utf-8", "replace")
        try:
            answer = json.loads(text) if text else {}
        except ValueError:
            answer = None
        if response.status >= 300:
            message = answer.get("message") if isinstance(answer, dict) else None
            raise CrewApiError(response.status, message if isinstance(message, str) else text)
        if answer is None:
            raise http.client.HTTPException("Not JSON from %s: %s" % (path, text[:200]))
        return answer

    def abort(self):
        """Cuts the call in progress short (from another thread): it fails with an OSError."""
        with self._lock:
            connection = self._connection
        if connection is not None and connection.sock is not None:
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def _connect(self, timeout):
        with self._lock:
            if self._connection is None:
                kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
                self._connection = kind(self._host, self._port, timeout=timeout)
            self._connection.timeout = timeout
            if self._connection.sock is not None:
                self._connection.sock.settimeout(timeout)
            return self._connection


class Backoff:
    """Exponential backoff with jitter: the n-th delay in a row is drawn in [c/2, c], c = min(max, initial*2^n)."""

    def __init__(self, initial=0.5, maximum=30.0):
        self.initial = initial
        self.maximum = maximum
        self.failures = 0

    def next(self):
        ceiling = min(self.maximum, self.initial * (2 ** min(self.failures, 30)))
        self.failures += 1
        return random.uniform(ceiling / 2, ceiling)

    def reset(self):
        self.failures = 0


def release_body(worker_id, task, result=None, error=None):
    """A release body, fenced to the lease by its ``attempt``. Never an error the service reads as success."""
    body = {"workerId": worker_id}
    if task.get("attempt") is not None:
        body["attempt"] = task["attempt"]
    if error is not None:
        output = error.output if isinstance(error, TaskError) else None
        body["error"] = output if output not in (None, False) else (str(error) or type(error).__name__)
        delay = error.workgroup_delay_in_seconds if isinstance(error, TaskError) else 0
        if delay:
            body["workgroupDelayInSeconds"] = delay
        if isinstance(error, TaskError) and not error.retryable:
            body["retryable"] = False
        if isinstance(error, TaskError):
            _budget(body, error.workgroup_budget)
        return body
    if not isinstance(result, TaskResult):
        result = TaskResult(output=result)
    body["output"] = result.output
    if result.children:
        body["children"] = result.children
    if result.children_delay_in_seconds:
        body["childrenDelayInSeconds"] = result.children_delay_in_seconds
    if result.workgroup_delay_in_seconds:
        body["workgroupDelayInSeconds"] = result.workgroup_delay_in_seconds
    _budget(body, result.workgroup_budget)
    return body


def refused_instead(body, reason):
    """What to send instead of a body the service refused (400, 413): a plain failure naming the reason, so
    that the attempt ends now rather than when its lease expires. None when the body was already that."""
    if isinstance(body.get("error"), str) and "workgroupDelayInSeconds" not in body:
        return None
    instead = {k: body[k] for k in ("workerId", "attempt", "taskId") if k in body}
    printable = "".join(c if " " <= c <= "~" else "?" for c in reason)
    instead["error"] = "The service refused the worker's release: " + printable
    return instead


class _InFlight:
    """A leased task on its way: whoever claims it first (the loop, the shutdown, a heartbeat that found the
    lease gone) decides what becomes of it, so nothing is released twice."""

    def __init__(self, acquired, worker_id, lease_seconds):
        self.task = acquired["task"]
        self.parents = acquired.get("parents") or []
        self.worker_id = worker_id
        self.started = time.monotonic()
        self.next_beat = None
        lease = lease_seconds or _lease_seconds(self.task)
        if lease:
            self.period = max(0.2, lease / HEARTBEATS_PER_LEASE)
            self.next_beat = self.started + self.period
        self._claimed = False
        self._lock = threading.Lock()
        # Set when the service took the task back (task_stopped() reads it in execute).
        self.stopped = threading.Event()

    def claim(self):
        with self._lock:
            if self._claimed:
                return False
            self._claimed = True
            return True

    @property
    def claimed(self):
        return self._claimed

    def took(self):
        return time.monotonic() - self.started


class WorkerGroup:
    """Runs workers, each on as many threads as its concurrency (each thread a worker id of its own).

    Settings not given come from the environment, as for Crew's workers: CREW_API_BASE_URL (the service,
    default http://localhost:3000/), CREW_WORK_WAIT_SECONDS (long-poll, default 20; 0 polls every
    CREW_WORK_INTERVAL_IN_MILLISECONDS, default 15000), CREW_WORK_BATCH_SIZE (default 1) and
    CREW_SHUTDOWN_TIMEOUT_IN_MILLISECONDS (default 30000). Durations are in seconds.
    """

    def __init__(self, workers=(), url=None, wait_seconds=None, poll_interval=None, lease_seconds=None,
                 batch_size=None, shutdown_timeout=None, release_retry_for=120.0, backoff=(0.5, 30.0),
                 request_timeout=30.0, log=None):
        env = os.environ
        self.url = url or env.get("CREW_API_BASE_URL") or "http://localhost:3000/"
        self.wait_seconds = _setting(wait_seconds, env.get("CREW_WORK_WAIT_SECONDS"), 20, int)
        self.poll_interval = _setting(poll_interval, _millis(env.get("CREW_WORK_INTERVAL_IN_MILLISECONDS")), 15.0,
                                      float)
        self.batch_size = _setting(batch_size, env.get("CREW_WORK_BATCH_SIZE"), 1, int)
        self.shutdown_timeout = _setting(shutdown_timeout, _millis(env.get("CREW_SHUTDOWN_TIMEOUT_IN_MILLISECONDS")),
                                         30.0, float)
        if not 0 <= self.wait_seconds <= MAX_WAIT_SECONDS:
            raise ValueError("wait_seconds must be 0-%d" % MAX_WAIT_SECONDS)
        if not 1 <= self.batch_size <= 1000:
            raise ValueError("batch_size must be 1-1000")
        self.lease_seconds = lease_seconds
        self.release_retry_for = release_retry_for
        self.backoff = backoff
        self.request_timeout = request_timeout
        self.log = log or _print_line
        self._token = uuid.uuid4().hex[:6]
        self._loops = []
        self._in_flight = set()
        self._in_flight_lock = threading.Lock()
        self._stopping = threading.Event()
        self._hard_stop = float("inf")
        self._started = False
        self._stopped = False
        for worker in workers:
            self.add(worker)

    def add(self, worker, concurrency=1):
        if self._started:
            raise RuntimeError("Add workers before start()")
        if not worker.name or not worker.channel:
            raise ValueError("A worker needs a name and a channel")
        prefix = "%s-%s" % ("".join(c if c.isalnum() or c in "._-" else "-" for c in worker.name), self._token)
        prefix = "-".join(part for part in prefix.split("-") if part)
        for i in range(1, concurrency + 1):
            worker_id = prefix if concurrency == 1 else "%s-%d" % (prefix, i)
            self._loops.append(_Loop(self, worker, worker_id))
        return self

    def start(self):
        if self._started:
            return
        self._started = True
        self._heartbeats = _Heartbeats(self)
        # Daemon threads: an execution still running when the shutdown gives up does not keep the process.
        for loop in self._loops + [self._heartbeats]:
            threading.Thread(target=loop.run, name="crew-" + getattr(loop, "worker_id", "heartbeats"),
                             daemon=True).start()

    def run_until_signal(self):
        """Starts, waits for SIGTERM or SIGINT, shuts down gracefully and returns (exit code 0 follows).
        A second signal during the shutdown exits at once (code 1). Call it from the main thread."""
        signalled = threading.Event()

        def on_signal(signum, frame):
            if signalled.is_set():
                os._exit(1)
            signalled.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self.start()
        while not signalled.wait(0.5):
            pass
        self.shutdown()

    def shutdown(self):
        """Stops taking tasks, lets the tasks in hand finish for up to ``shutdown_timeout`` seconds, releases
        the unfinished ones as failed. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        deadline = time.monotonic() + self.shutdown_timeout
        self._hard_stop = deadline + RELEASE_GRACE_SECONDS
        self._stopping.set()
        for loop in self._loops:
            loop.abort_acquire()
        self._wait_while(deadline, ("working", "releasing"))
        client = CrewClient(self.url, self.request_timeout)
        for flight in self._snapshot():
            if flight.claim():
                error = TaskError("The worker shut down before the task finished (%d ms after it was asked to "
                                  "stop)" % round(self.shutdown_timeout * 1000))
                outcome = _release(self, client, flight, release_body(flight.worker_id, flight.task, error=error))
                self._report(flight, outcome)
        self._wait_while(self._hard_stop, ("releasing",))

    def _wait_while(self, until, phases):
        """Until no loop is in one of these phases, or the time is up. Loops in a long-poll (its call was cut
        short) or in an execution that was given up are not waited for: they are daemon threads."""
        while time.monotonic() < until and any(loop.phase in phases for loop in self._loops):
            time.sleep(0.05)

    def _snapshot(self):
        with self._in_flight_lock:
            return list(self._in_flight)

    def _register(self, flight):
        with self._in_flight_lock:
            self._in_flight.add(flight)

    def _unregister(self, flight):
        with self._in_flight_lock:
            self._in_flight.discard(flight)

    def _report(self, flight, outcome):
        kind, detail = outcome
        self.log("%s %-9s %s after %.1f s%s" % (flight.worker_id, kind, _describe(flight.task), flight.took(),
                                                 ": " + detail if detail else ""))


class _Loop:
    """One thread of a WorkerGroup: acquire, execute, release, until the group stops."""

    def __init__(self, group, worker, worker_id):
        self.group = group
        self.worker = worker
        self.worker_id = worker_id
        self.client = CrewClient(group.url, group.request_timeout)
        self._acquiring = False
        self.phase = "idle"

    def run(self):
        group = self.group
        backoff = Backoff(*group.backoff)
        while not group._stopping.is_set():
            try:
                self._acquiring = True
                if group._stopping.is_set():
                    break
                tasks = self.client.acquire(self.worker.channel, self.worker_id, group.batch_size,
                                            group.lease_seconds, group.wait_seconds)
                self.phase = "working" if tasks else "idle"
                backoff.reset()
            except (OSError, http.client.HTTPException, CrewApiError) as e:
                if not group._stopping.is_set():
                    group.log("%s acquire in %s failed: %s" % (self.worker_id, self.worker.channel, e))
                    group._stopping.wait(backoff.next())
                continue
            finally:
                self._acquiring = False
            if tasks:
                self._work(tasks)
            elif group.wait_seconds == 0:
                group._stopping.wait(group.poll_interval * (1 + POLL_JITTER * (2 * random.random() - 1)))
        self.client.close()

    def abort_acquire(self):
        """Cuts a long-poll short at shutdown. A task it had already leased is still worked on."""
        if self._acquiring:
            self.client.abort()

    def _work(self, tasks):
        group = self.group
        flights = [_InFlight(acquired, self.worker_id, group.lease_seconds) for acquired in tasks]
        for flight in flights:
            group._register(flight)
            group.log("%s took      %s" % (self.worker_id, _describe(flight.task)))
        try:
            done, bodies = [], []
            for flight in flights:
                if flight.claimed:
                    continue  # lost, or released by the shutdown before its turn came
                self.phase = "working"
                body = self._execute(flight)
                # From here on a result is on its way: a shutdown waits for it to be delivered.
                self.phase = "releasing"
                if flight.claim():
                    done.append(flight)
                    bodies.append(body)
            if len(done) == 1:
                group._report(done[0], _release(group, self.client, done[0], bodies[0]))
            elif done:
                for flight, outcome in zip(done, _release_all(group, self.client, done, bodies)):
                    group._report(flight, outcome)
        finally:
            for flight in flights:
                group._unregister(flight)
            self.phase = "idle"

    def _execute(self, flight):
        _current.flight = flight
        try:
            result = self.worker.execute(flight.task.get("input"), flight.parents)
            return release_body(self.worker_id, flight.task, result=result)
        except Exception as e:  # any failure of the worker's code fails the attempt, as in Crew
            return release_body(self.worker_id, flight.task, error=e)
        finally:
            _current.flight = None


class _Heartbeats:
    """Extends the leases of the tasks in hand four times per lease (a cancel is heard within a third of it,
    round trip included); a 409 means the task was reclaimed, reset
    or cancelled, or its attempt timed out: its result is dropped and task_stopped() turns true for it."""

    def __init__(self, group):
        self.group = group
        self.client = CrewClient(group.url, group.request_timeout)

    def run(self):
        group = self.group
        while time.monotonic() < group._hard_stop:
            now = time.monotonic()
            for flight in group._snapshot():
                if flight.next_beat is None or flight.next_beat > now:
                    continue
                flight.next_beat = now + flight.period
                try:
                    self.client.heartbeat(flight.task["_id"], flight.worker_id, flight.task.get("attempt"),
                                          group.lease_seconds)
                except CrewApiError as e:
                    if e.status in (404, 409):
                        flight.stopped.set()
                    if e.status in (404, 409) and flight.claim():
                        group._report(flight, ("dropped", "the lease was lost (%s)" % e))
                except (OSError, http.client.HTTPException) as e:
                    group.log("%s heartbeat of %s failed: %s" % (flight.worker_id, flight.task["_id"], e))
            time.sleep(0.1)


def _release(group, client, flight, body):
    """Delivers one result: network errors and 5xx retried with backoff (the same fenced body), 4xx settled.
    Returns (kind, detail): kind is completed, failed or dropped."""
    backoff = Backoff(*group.backoff)
    give_up = time.monotonic() + group.release_retry_for
    retried = False
    while True:
        try:
            client.release(flight.task["_id"], body)
            return _applied(body, retried)
        except CrewApiError as e:
            if e.status < 500:
                settled, instead = _refusal(body, e, retried)
                if settled:
                    return settled
                body = instead
                continue
            failure = e
        except (OSError, http.client.HTTPException) as e:
            failure = e
        retried = True
        if not _pause(group, backoff, give_up, flight, failure):
            return "dropped", "the service could not be reached (%s)" % failure


def _release_all(group, client, flights, bodies):
    """Delivers the results of a batch in one call (tasks/release), each settled as it would be alone; a
    service without that endpoint gets them one by one."""
    outcomes = [None] * len(flights)
    sending = [dict(body, taskId=flight.task["_id"]) for flight, body in zip(flights, bodies)]
    retried = [False] * len(flights)
    backoff = Backoff(*group.backoff)
    give_up = time.monotonic() + group.release_retry_for
    pending = list(range(len(flights)))
    while pending:
        failure = None
        try:
            results = client.release_all([sending[i] for i in pending])
            again = []
            for i, result in zip(pending, results):
                status = result.get("status", 500)
                if status < 300:
                    outcomes[i] = _applied(sending[i], retried[i])
                elif status >= 500:
                    failure = CrewApiError(status, result.get("message"))
                    retried[i] = True
                    again.append(i)
                else:
                    settled, instead = _refusal(sending[i], CrewApiError(status, result.get("message")), retried[i])
                    if settled:
                        outcomes[i] = settled
                    else:
                        sending[i] = instead
                        again.append(i)
            pending = again
            if failure is None:
                continue
        except CrewApiError as e:
            if e.status < 500:
                for i in pending:
                    outcomes[i] = _release(group, client, flights[i], bodies[i])
                break
            failure = e
        except (OSError, http.client.HTTPException) as e:
            failure = e
        for i in pending:
            retried[i] = True
        if pending and not _pause(group, backoff, give_up, flights[pending[0]], failure):
            for i in pending:
                outcomes[i] = ("dropped", "the service could not be reached (%s)" % failure)
            break
    return outcomes


def _refusal(body, error, retried):
    """What a 4xx means: (settled outcome, None), or (None, another body to send at once)."""
    if error.status == 409 and retried and "error" in body:
        return ("failed", _detail(body["error"]) + " (recorded by an earlier try whose answer was lost)"), None
    if error.status in (400, 413):
        instead = refused_instead(body, error.message or "")
        if instead is not None:
            return None, instead
    why = {409: "the lease was lost", 404: "the task is gone"}.get(error.status, "refused")
    return ("dropped", "%s (%s)" % (why, error)), None


def _applied(body, retried):
    after = " (release retried)" if retried else ""
    if "error" in body:
        return "failed", _detail(body["error"]) + after
    children = len(body.get("children") or [])
    detail = ("%d %s" % (children, "child" if children == 1 else "children") if children else "") + after
    return "completed", detail.strip() or None


def _pause(group, backoff, give_up, flight, failure):
    delay = backoff.next()
    if time.monotonic() + delay > min(give_up, group._hard_stop):
        return False
    group.log("%s release of %s failed, trying again in %d ms: %s" % (flight.worker_id, flight.task["_id"],
                                                                       delay * 1000, failure))
    time.sleep(delay)
    return True


def _detail(error):
    text = error if isinstance(error, str) else json.dumps(error)
    return text if len(text) <= 200 else text[:200] + "..."


def _describe(task):
    """The task's name as a JSON string (a name with quotes in it reads unambiguously), its id and attempt."""
    attempt = task.get("attempt")
    return "%s %s%s" % (json.dumps(task.get("name"), ensure_ascii=False), task.get("_id"),
                        "" if attempt is None else " attempt %d" % attempt)


def _lease_seconds(task):
    """The lease the acquire gave (leaseExpiresAt - assignedAt), or None (Crew 1.0.25 gives none)."""
    try:
        start = _parse_time(task["assignedAt"])
        end = _parse_time(task["leaseExpiresAt"])
    except (KeyError, TypeError, ValueError):
        return None
    return (end - start).total_seconds()


def _parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _segment(value):
    return urllib.parse.quote(value, safe="")


def _millis(value):
    return None if value in (None, "") else int(value) / 1000.0


def _setting(given, from_env, default, kind):
    if given is not None:
        return kind(given)
    if from_env not in (None, ""):
        return kind(from_env)
    return default


def _print_line(line):
    print(datetime.datetime.now().strftime("%H:%M:%S.%f")[:-3], line, flush=True)
