"""Where detection runs: every event in this process (``"local"``), or on a Dask cluster (``"dask"``).

:func:`detector.detect` prepares the whole table on the machine that calls it (loading, attribute
tokens, households, the posts' trigger context, and afterwards the account clusters and the
results), and runs :func:`.detection.event.detect_event` once per event, which is where the time
goes. An *engine* runs those per-event detections:

- ``"local"`` (the default): one after the other, in this process.
- ``"dask"``: one Dask task per event on a ``distributed`` cluster: the scheduler at ``scheduler``
  (an address such as ``tcp://host:8786``, or a ``distributed.Client``), or, when none is given, a
  ``LocalCluster`` started for the run and closed after it (one single-threaded worker process per
  core, at most 4 GiB each). A task receives only its event: the event's rows of the token matrix,
  with only the token columns those rows carry (and one of every facet, so that every attribute
  family still exists), its times, households and attendance, the options, and for the trigger
  posts the event's account links, the post cascades whose root went up in the event's look-back
  window and the follows of the event's accounts. It sends back the event's scores, candidate
  clusters, bursts and timeline. Events go out largest first, a few per worker thread at a time,
  so that the client holds only the events in flight besides the table.

The engine and the scheduler are not detection options: they never change a result (the outputs
are byte for byte the same, ``tests/test_dask_engine.py``), so they are not written to
``summary.json``. Within one event nothing is split: the baseline, the bursts and the organic
reference of an event are learned from the whole event, so sharding an event by time would
change its results.

Dask is imported only when ``engine="dask"``; without it the run stops at once with one line
saying how to install it (``pip install 'detector[dask]'``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .errors import InputError

__all__ = ["ENGINES", "INSTALL_HINT", "check_engine", "require_dask", "open_engine", "connect", "EventJob",
           "EventInputs", "EventOutput", "LocalEngine", "DaskEngine"]

#: The engines :func:`detector.detect` takes.
ENGINES = ("local", "dask")
#: What to run when Dask is missing.
INSTALL_HINT = "pip install 'detector[dask]'"
#: Memory limit of each worker of the LocalCluster started when no scheduler is given (at most this,
#: and at most the machine's memory shared among the workers).
WORKER_MEMORY = 4 * 2**30
#: Events sent to the cluster at a time, per worker thread: enough to keep every worker busy, few
#: enough that the client does not hold every event's payload at once.
IN_FLIGHT_PER_THREAD = 2


def check_engine(engine: str = "local", scheduler=None, *, source: str = "detect()",
                 style: str = "python") -> tuple[str, Any]:
    """Check the engine and the scheduler; return them.

    Parameters
    ----------
    engine : {"local", "dask"}
    scheduler : str or distributed.Client, optional
        Only with ``engine="dask"``: the address of a running Dask scheduler
        (``tcp://host:8786``), or a connected ``distributed.Client`` to use (and leave open).
    source, style : str
        Where the values came from and how to spell them in a message (as in
        :func:`detector.options.check_option`: ``"python"``, ``"toml"`` or ``"cli"``).

    Raises
    ------
    InputError
        One line, for an unknown engine, a scheduler that is not an address, or a scheduler
        given without the dask engine.

    Examples
    --------
    >>> check_engine("dask", "tcp://10.0.0.5:8786")
    ('dask', 'tcp://10.0.0.5:8786')
    >>> check_engine("spark")
    Traceback (most recent call last):
    detector.errors.InputError: detect(): engine='spark': expected 'local' or 'dask'
    >>> check_engine("local", "tcp://10.0.0.5:8786")
    Traceback (most recent call last):
    detector.errors.InputError: detect(): scheduler='tcp://10.0.0.5:8786': a scheduler is only used with engine='dask'
    """
    def fail(name, value, what):
        if style == "cli":
            raise InputError(source, f"{what}, got {value!r}")
        shown = f"[compute] {name} = " + (f'"{value}"' if isinstance(value, str) else repr(value)) \
            if style == "toml" else f"{name}={value!r}"
        raise InputError(source, f"{shown}: {what}")

    spell = (lambda e: f'"{e}"') if style == "toml" else (lambda e: e) if style == "cli" else repr
    if not isinstance(engine, str) or engine not in ENGINES:
        fail("engine", engine, f"expected {' or '.join(spell(e) for e in ENGINES)}")
    if scheduler is None:
        return engine, None
    if isinstance(scheduler, str):
        if not scheduler.strip():
            fail("scheduler", scheduler, "expected a scheduler's address, such as tcp://host:8786")
        scheduler = scheduler.strip()
    elif not hasattr(scheduler, "submit"):
        fail("scheduler", scheduler, "expected a scheduler's address (tcp://host:8786) or a distributed.Client")
    if engine != "dask":
        dask = {"cli": "--engine dask", "toml": 'engine = "dask"'}.get(style, "engine='dask'")
        fail("scheduler", scheduler if isinstance(scheduler, str) else type(scheduler).__name__,
             f"a scheduler is only used with {dask}")
    return engine, scheduler


def require_dask(source: str = "engine='dask'") -> None:
    """Raise a one-line :class:`InputError` when Dask's ``distributed`` cannot be imported."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise InputError(source, f"needs Dask's distributed package, which is not installed: {INSTALL_HINT}") from None


@dataclass(frozen=True)
class EventJob:
    """One event to detect: its name, its rows (positions in the canonical table, in time
    order) and its options (its time bins may be coarser than the run's)."""

    event: str
    idx: Any
    opts: dict


@dataclass
class EventInputs:
    """What the events read, for the whole table (prepared once by :func:`detector.detect`)."""

    regs: Any          # the registrations, in the canonical order
    created: Any       # their created_at as a tz-aware Series
    tm: Any            # their TokenMatrix
    attended: Any      # 1/0/NaN per row, or None
    units: Any         # household of each row
    ctx: Any = None    # TriggerContext when posts were given
    posts: Any = None
    follows: Any = None


@dataclass
class EventOutput:
    """What one event's detection gives back: ``score`` per row of the event, the candidate
    clusters (members as positions in the table), the bursts and the timeline."""

    score: Any
    candidates: list
    bursts: list
    timeline: Any


class _Engine:
    """What every engine is: a context manager that closes what it opened."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self) -> None:
        pass


class LocalEngine(_Engine):
    """Every event in this process, one after the other."""

    name = "local"

    def run(self, jobs: list, inputs: EventInputs, steps) -> list:
        """Detect every job's event; the :class:`EventOutput` of each, in the jobs' order.
        ``steps`` (a :class:`detector.progress.Steps`) advances as each event starts."""
        from .detection.event import detect_event

        out = []
        for job in jobs:
            steps.step(f"event {job.event}")
            st = detect_event(job.event, job.idx, inputs.created.iloc[job.idx], inputs.tm, inputs.attended,
                              inputs.units, job.opts, inputs.ctx, steps.note)
            out.append(EventOutput(st.score, st.candidates, st.bursts, st.timeline))
        return out


def open_engine(engine: str = "local", scheduler=None):
    """The engine to run events with, ready (a context manager; ``close()`` releases it).

    With ``"dask"`` this connects to ``scheduler`` now (or starts a LocalCluster), so that a
    wrong address or a missing install is said before any work.
    """
    engine, scheduler = check_engine(engine, scheduler)
    if engine == "local":
        return LocalEngine()
    require_dask()
    return DaskEngine(scheduler)


# ---------------------------------------------------------------------------------------------
# Dask


@dataclass
class EventPayload:
    """Everything one event's task reads (built on the client, sent to one worker)."""

    event: str
    times: Any
    tm: Any
    attended: Any
    units: Any
    opts: dict
    regs: Any = None       # created_at and account_id of the event's rows, for its TriggerContext
    posts: Any = None      # the cascades that can trigger its clusters
    follows: Any = None    # the follows of its accounts


def detect_payload(payload: EventPayload) -> EventOutput:
    """Run one event's detection from its payload (on a worker); member positions are the
    event's own rows (``0 .. n - 1``), mapped back to the table's by the client."""
    import numpy as np

    from .detection.event import detect_event

    ctx = None
    if payload.posts is not None:
        from .detection.triggers import TriggerContext

        ctx = TriggerContext(payload.regs, payload.posts, payload.follows)   # as detect() builds it
    n = len(payload.times)
    st = detect_event(payload.event, np.arange(n), payload.times, payload.tm, payload.attended, payload.units,
                      payload.opts, ctx)
    return EventOutput(st.score, st.candidates, st.bursts, st.timeline)


class Partitioner:
    """Cuts the table into per-event payloads, with only what each event reads.

    Token columns: an event gets the columns its rows carry, in the table's order, plus the first
    column of every facet and the first non-``(rare)`` column of every facet, even when its rows
    carry none of them, so that every facet and attribute family exists in the event as in the
    table (a facet without columns would be skipped where the table's empty ones count as
    "missing"). Every per-token computation of an event is column by column, and columns keep
    their order, so the event's results are the same as with all of the table's columns. The two
    steps that looked at the width of the column space do not any more: the profiles of
    :func:`.detection.expand.merge_similar` are taken over the tokens the members carry (a sum over
    fewer zeros could round differently), and Louvain's starting groups
    (``event._start_groups``) are numbered by the order of their tokens, not by a key that
    packed the token's column number (which overflowed past 2**20 columns).

    Trigger posts: a cluster's candidate triggers are roots posted between its first sign-up
    less the look-back and its last sign-up (:meth:`.triggers.TriggerContext.rank`), and a
    candidate's ties are the posts of its cascade and the follows of the event's accounts; so an
    event gets the cascades whose root went up between its first sign-up less the look-back and
    its last sign-up, and the follows whose follower is one of its accounts. Account and post codes
    are numbered in id and time order, so the subset keeps their order.
    """

    def __init__(self, inp: EventInputs):
        import numpy as np
        import pandas as pd

        self.inp = inp
        tm = inp.tm
        facets = pd.Series(np.asarray(tm.facets, dtype=object))
        plain = facets[~tm.is_rare]
        first_any = np.flatnonzero(~facets.duplicated().to_numpy())
        first_plain = plain.index.to_numpy()[~plain.duplicated().to_numpy()]
        self.always = np.union1d(first_any, first_plain).astype(np.int64)
        self.ns = inp.created.dt.as_unit("ns").array.asi8
        self.has_account = "account_id" in inp.regs
        self.posts = None
        if inp.ctx is not None and inp.posts is not None and len(inp.posts):
            from .detection.triggers import post_roots

            posts = inp.posts
            lookback = getattr(inp.ctx, "lookback", None)   # TriggerContext's, in nanoseconds
            self.lookback = None if lookback is None else int(lookback)
            keep = [c for c in ("post_id", "shared_post_id", "account_id", "created_at") if c in posts]
            self.posts = posts[keep]
            p_ns = pd.to_datetime(posts["created_at"], utc=True).dt.as_unit("ns").array.asi8
            root_ns = p_ns[post_roots(posts)]
            self.post_order = np.argsort(root_ns, kind="stable")
            self.root_ns = root_ns[self.post_order]
            self.follows = None
            if inp.follows is not None and len(inp.follows):
                f = inp.follows
                self.follows = f[["follower_id", "followee_id"]]
                codes, uniques = pd.factorize(f["follower_id"].astype(str).to_numpy(dtype=object))
                self.follower_index = pd.Index(uniques)
                self.follow_order = np.argsort(codes, kind="stable")
                self.follow_start = np.searchsorted(codes[self.follow_order], np.arange(len(uniques) + 1))

    def tokens(self, idx):
        """The event's TokenMatrix: its rows, the columns they carry and one of every facet."""
        import numpy as np

        from .detection.features import TokenMatrix

        tm = self.inp.tm
        X = tm.X[idx]
        cols = np.union1d(np.unique(X.indices), self.always)
        indices = np.searchsorted(cols, X.indices).astype(X.indices.dtype)
        X = type(X)((X.data, indices, X.indptr), shape=(X.shape[0], len(cols)))
        return TokenMatrix(X, np.asarray(tm.names)[cols], np.asarray(tm.facets)[cols])

    def payload(self, job: EventJob) -> EventPayload:
        import numpy as np

        inp, idx = self.inp, job.idx
        p = EventPayload(event=job.event, times=inp.created.iloc[idx], tm=self.tokens(idx),
                         attended=None if inp.attended is None else inp.attended[idx], units=inp.units[idx],
                         opts=job.opts)
        if self.posts is not None:
            cols = ["created_at", "account_id"] if self.has_account else ["created_at"]
            p.regs = inp.regs[cols].iloc[idx].reset_index(drop=True)
            if self.lookback is None:    # the look-back is not known: every post
                rows = np.arange(len(self.posts))
            else:
                lo = np.searchsorted(self.root_ns, self.ns[idx[0]] - self.lookback, side="left")
                hi = np.searchsorted(self.root_ns, self.ns[idx[-1]], side="right")
                rows = np.sort(self.post_order[lo:hi])
            p.posts = self.posts.iloc[rows].reset_index(drop=True)
            if self.follows is not None and self.has_account:
                accounts = inp.regs["account_id"].iloc[idx]
                accounts = np.unique(accounts[accounts.notna()].astype(str).to_numpy(dtype=object))
                codes = self.follower_index.get_indexer(accounts)
                codes = codes[codes >= 0]
                starts, lengths = self.follow_start[codes], np.diff(self.follow_start)[codes]
                offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
                take = np.repeat(starts, lengths) + offsets
                rows = np.sort(self.follow_order[take])
                p.follows = self.follows.iloc[rows].reset_index(drop=True)
        return p


def _local_cluster():
    """A LocalCluster for one run: one single-threaded worker process per core, each with at most
    :data:`WORKER_MEMORY` (and at most the machine's memory shared among them)."""
    import logging

    from distributed import LocalCluster

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        import psutil

        total = psutil.virtual_memory().total
    except ImportError:
        total = WORKER_MEMORY * cores
    memory = int(min(WORKER_MEMORY, total // max(cores, 1)))
    return LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, memory_limit=memory,
                        dashboard_address=":0", silence_logs=logging.ERROR)   # any free port: no clash


def _quiet_shutdown() -> None:
    """In a worker of our own LocalCluster, once the run is over: only critical log lines."""
    import logging

    for name in ("distributed", "distributed.worker", "distributed.core", "distributed.comm"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL)
        for handler in logger.handlers:
            handler.setLevel(logging.CRITICAL)


def _detector_version() -> str:
    from ._version import __version__

    return __version__


def connect(scheduler=None):
    """A ``distributed.Client`` and a function that closes what this call opened.

    ``scheduler``: an address (``tcp://host:8786``), a ``distributed.Client`` (used as it is and
    left open), or None for a LocalCluster started now. The workers must run this version of
    detector: a worker that cannot import it, or runs another version, is one line naming it.
    """
    from distributed import Client

    from ._version import __version__

    if scheduler is not None and not isinstance(scheduler, str):
        return scheduler, lambda: None
    cluster = None
    if scheduler is None:
        cluster = _local_cluster()
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"scheduler {scheduler}", f"cannot connect to the Dask scheduler: {exc}") from None

    def close():
        if cluster is not None:
            try:   # the run is over: a worker's heartbeat racing the shutdown is noise, not an error
                client.run(_quiet_shutdown)      # (dask/distributed#7192)
            except Exception:
                pass
        client.close()
        if cluster is not None:
            cluster.close()

    try:
        try:
            client.wait_for_workers(1, timeout=120)
        except TimeoutError:
            raise InputError(f"scheduler {scheduler}", "no Dask worker joined the scheduler in 120 s") from None
        try:
            versions = client.run(_detector_version)
        except Exception as exc:  # a worker without detector cannot even read the function
            raise InputError(f"scheduler {scheduler or 'LocalCluster'}",
                             f"the Dask workers cannot run detector ({type(exc).__name__}: {exc}); install "
                             f"detector {__version__} on every worker ({INSTALL_HINT})") from None
        other = {w: v for w, v in versions.items() if v != __version__}
        if other:
            w, v = next(iter(other.items()))
            raise InputError(f"scheduler {scheduler}", f"{len(other)} Dask worker(s) run detector {v} (e.g. {w}), "
                                                       f"this client {__version__}: install the same version on "
                                                       "every worker")
    except BaseException:
        close()
        raise
    return client, close


def _threads(client) -> int:
    try:
        return max(1, sum(client.nthreads().values()))
    except Exception:
        return 1


class DaskEngine(_Engine):
    """One Dask task per event, on the cluster of ``scheduler`` (see :func:`connect`)."""

    name = "dask"

    def __init__(self, scheduler=None):
        self.client, self._close = connect(scheduler)
        # a cluster of this machine (ours, or a client made from a LocalCluster): events go
        # straight to a worker; a remote one: through the scheduler, which every client reaches
        self.direct = getattr(self.client, "cluster", None) is not None

    def close(self) -> None:
        self._close()

    def run(self, jobs: list, inputs: EventInputs, steps) -> list:
        """Detect every job's event on the cluster; the :class:`EventOutput` of each, in the jobs'
        order. ``steps`` advances as each event completes."""
        import dataclasses
        import uuid

        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        if not jobs:
            return []
        client, parts = self.client, Partitioner(inputs)
        order = sorted(range(len(jobs)), key=lambda k: (-len(jobs[k].idx), k))   # largest first
        todo = iter(order)
        results = [None] * len(jobs)
        running = {}
        done = as_completed()
        run = uuid.uuid4().hex[:8]

        def submit(k):
            [data] = client.scatter([parts.payload(jobs[k])], direct=self.direct, hash=False)
            future = client.submit(detect_payload, data, key=f"detect-event-{run}-{k}", pure=False, retries=0)
            running[future.key] = (k, data, future)
            done.add(future)

        try:
            for _ in range(IN_FLIGHT_PER_THREAD * _threads(client)):
                k = next(todo, None)
                if k is None:
                    break
                submit(k)
            for future in done:
                k, data, _ = running.pop(future.key)
                try:
                    out = future.result()
                except KilledWorker:
                    raise InputError(f"event {jobs[k].event}", f"a Dask worker died detecting this event "
                                     f"({len(jobs[k].idx):,} registrations): out of memory? Give the workers more "
                                     "memory, or use engine='local'") from None
                idx = jobs[k].idx
                out.candidates = [dataclasses.replace(c, members=idx[c.members]) for c in out.candidates]
                results[k] = out
                steps.step(f"event {jobs[k].event}")
                future.release()
                data.release()
                k = next(todo, None)
                if k is not None:
                    submit(k)
        finally:   # after an error: the events still out are of no use
            if running:
                client.cancel([x for _, data, future in running.values() for x in (future, data)], force=True)
        return results
