"""Plan → submit → collect → merge: a capsim command run through a Dask cluster.

1. ``capsim units --out units.json <command> <args>`` runs locally: it loads and checks every
   scenario exactly as the local command would (bad input: its message, exit 2, nothing
   written) and lists the units (one replication each) with their ``capsim unit`` arguments.
2. Each unit is one Dask task running ``capsim unit ... --out -`` on a worker (one thread);
   its partial result comes back through Dask and is written to ``parts/`` locally.
3. ``capsim merge units.json --parts parts`` writes the report folder, with the local
   command's summary and exit code.

The report depends only on the units' results, which depend only on (scenario, overrides,
seed, replication): not on the number of workers, the order units finish in, or retries.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from . import binary as binaries
from .unit import run_unit


class CapsimError(Exception):
    """A failure with the exit code capsim-dask ends with (2 bad input, 1 a run failed)."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


class Progress:
    """Units done on stderr: one steady line on a terminal, a line per 10 % otherwise."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self.last_tenth = -1

    def unit_done(self, workers):
        self.done += 1
        elapsed = time.monotonic() - self.started
        line = f"capsim-dask: {self.done}/{self.total} units done on {workers} worker(s), {elapsed:.1f} s"
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            tenth = self.done * 10 // max(1, self.total)
            if tenth != self.last_tenth or self.done == self.total:
                self.last_tenth = tenth
                self.stream.write(line + "\n")
        self.stream.flush()


def plan(capsim, command, args, workdir):
    """The manifest of ``capsim units <command> <args>`` written to ``workdir/units.json``."""
    path = os.path.join(workdir, "units.json")
    proc = subprocess.run([capsim, "units", "--out", path, command, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise CapsimError(proc.stderr.rstrip("\n") or f"capsim units exited {proc.returncode}", proc.returncode)
    with open(path, encoding="utf-8") as f:
        return path, json.load(f)


def _client(scheduler, workers, client):
    """The client to use and what to close afterwards."""
    from distributed import Client, LocalCluster

    if client is not None:
        return client, []
    if scheduler:
        c = Client(scheduler)
        return c, [c]
    cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None, host="127.0.0.1")
    c = Client(cluster)
    return c, [c, cluster]


def run_command(command, args, *, capsim=None, scheduler=None, workers=None, client=None, ship_binary=False,
                worker_capsim=None, retries=3, keep_parts=None, progress=True, on_unit_done=None, timings=None):
    """Runs ``capsim <command> <args>`` with its units on Dask; returns capsim merge's exit code.

    - ``client``: an existing ``distributed.Client``; else ``scheduler`` (``tcp://host:8786``);
      else a ``LocalCluster`` of ``workers`` single-threaded worker processes on loopback.
    - The binary on the workers: ``worker_capsim`` (a path valid on every worker), or the local
      binary shipped to each worker (``ship_binary``), or the local binary's own path (a shared
      filesystem or the same container image).
    - ``retries``: how often a unit whose capsim process died is run again (a dead worker's
      units are rescheduled by the scheduler itself).
    - ``on_unit_done(done, total, client)``: called after each unit's part is stored (tests use
      it to kill a worker mid-sweep).
    - ``timings``: a dict that receives the seconds spent planning, connecting (or starting
      the LocalCluster), evaluating the units and merging (benchmarks read it).

    Raises ``CapsimError`` (with the exit code) when planning or a unit fails; then nothing is
    written where the report goes.
    """
    local = binaries.find_local(capsim)
    workdir = tempfile.mkdtemp(prefix="capsim-dask-")
    closers = []
    clock = {} if timings is None else timings
    try:
        t = time.monotonic()
        manifest_path, manifest = plan(local, command, args, workdir)
        parts = os.path.join(workdir, "parts")
        os.makedirs(parts)
        units = manifest["units"]
        clock["plan"], t = time.monotonic() - t, time.monotonic()
        if units:
            c, closers = _client(scheduler, workers, client)
            clock["connect"], t = time.monotonic() - t, time.monotonic()
            _evaluate(c, units, parts, local, ship_binary, worker_capsim, retries, progress, on_unit_done)
            clock["units"], t = time.monotonic() - t, time.monotonic()
        merged = subprocess.run([local, "merge", manifest_path, "--parts", parts], check=False)
        clock["merge"] = time.monotonic() - t
        return merged.returncode
    finally:
        for x in closers:
            x.close()
        if keep_parts:
            shutil.copytree(workdir, keep_parts, dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)


def _unit_task():
    """``run_unit`` wrapped in a closure (see ``_evaluate``)."""

    def capsim_unit(where, argv):
        return run_unit(where, argv)

    return capsim_unit


def _evaluate(client, units, parts, local, ship_binary, worker_capsim, retries, progress, on_unit_done):
    """Submits every unit and writes each part as it arrives; the first unit capsim refuses
    stops the run (its message and exit code), with the other units cancelled."""
    import cloudpickle
    from distributed import as_completed

    from . import unit as unit_module

    # Workers need dask and distributed but not this package: the unit function and the
    # binary plugin travel by value, not as a reference to a module the worker lacks.
    # (distributed pickles a task by reference when it can, so the task is a closure, which
    # only cloudpickle can send, and cloudpickle sends run_unit's module by value.)
    cloudpickle.register_pickle_by_value(unit_module)
    cloudpickle.register_pickle_by_value(binaries)
    task = _unit_task()
    if worker_capsim:
        where = ("path", worker_capsim)
    elif ship_binary:
        plugin = binaries.ShipBinary(local)
        client.register_plugin(plugin, name=plugin.name)
        where = ("shipped", plugin.filename)
    else:
        where = ("path", local)
    digest = units[0]["unit"]["scenario_digest"]
    futures = {}
    for u in units:
        # pure=False: a unit is run for its result, never deduplicated against another job's
        # task of the same name; the key names the unit for the dashboard.
        f = client.submit(task, where, u["argv"], retries=retries, pure=False,
                          key=f"capsim-unit-{digest}-{u['index']:06d}-{os.getpid()}-{time.monotonic_ns()}")
        futures[f] = u
    meter = Progress(len(units)) if progress else None
    done = 0
    pending = as_completed(list(futures))
    try:
        for f in pending:
            u = futures.pop(f)
            try:
                code, data, err = f.result()
            except Exception as e:  # a unit that kept crashing, or whose workers kept dying
                raise CapsimError(f"unit {u['index']} ({' '.join(u['argv'][1:])}) failed on the cluster: {e}", 1) from e
            if code != 0:
                raise CapsimError(err.rstrip("\n"), code)
            tmp = os.path.join(parts, "." + u["part"] + ".tmp")
            with open(tmp, "wb") as out:
                out.write(data)
            os.replace(tmp, os.path.join(parts, u["part"]))
            f.release()
            done += 1
            if meter:
                meter.unit_done(len(client.scheduler_info().get("workers", {})))
            if on_unit_done:
                on_unit_done(done, len(units), client)
    finally:
        for f in futures:
            f.cancel()
