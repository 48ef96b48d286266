"""capsim-dask benchmarks: speed-up of a sweep on 2 workers over 1, per-unit overhead.

    CAPSIM_BIN=.build/release/capsim python python/benchmarks/dask_bench.py [--points 16]

1. Speed-up: a --points-point sweep of scenarios/baseline.yaml shortened to --duration, or
   (--model mmc) of the M/M/8 with 400,000 customers (one replication per point, so one
   unit per point), end to end through capsim-dask
   (LocalCluster start, plan, units, merge) on 1 worker and on 2.
2. Overhead per unit: --trivial units of a tiny M/M/1 (a few milliseconds each) run with
   `capsim unit` directly one after another, and through Dask on one worker; the difference
   divided by the number of units (cluster start, plan and merge excluded).
Prints the figures; nothing is asserted (timings belong in benchmarks, not tests).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from capsim_dask import run_command  # noqa: E402
from capsim_dask.driver import plan  # noqa: E402
from capsim_dask.unit import run_unit  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TINY = """name: tiny
seed: 3
model: queueing
queueing:
  customers: 200
  warmup_customers: 10
  arrivals:
    - { to: server, rate: 0.5/s }
  stations:
    server:
      servers: 1
      service: { exponential: { mean: 1s } }
"""


def sweep_seconds(capsim, workers, points, duration, out, model="baseline"):
    if model == "mmc":
        # M/M/8 with 400,000 customers per point, arrival rate swept from 6.0/s to 7.5/s.
        rates = ",".join(f"{6.0 + 0.1 * i:.1f}/s" for i in range(points))
        args = [os.path.join(ROOT, "scenarios/validation/mmc.yaml"), "--set", "queueing.customers=400000",
                "--param", f"queueing.arrivals.0.rate={rates}", "--replications", "1", "--out", out, "--quiet"]
    else:
        rates = ",".join(f"{6000 + 250 * i}/h" for i in range(points))
        args = [os.path.join(ROOT, "scenarios/baseline.yaml"), "--set", f"duration={duration}", "--set", "warmup=1m",
                "--param", f"demand.orders_per_hour={rates}", "--replications", "1", "--out", out, "--quiet"]
    t = time.monotonic()
    clock = {}
    code = run_command("sweep", args, capsim=capsim, workers=workers, progress=False, timings=clock)
    assert code == 0, code
    return time.monotonic() - t, clock["units"], clock


def overhead_ms(capsim, n):
    from distributed import Client, LocalCluster

    work = tempfile.mkdtemp(prefix="capsim-bench-")
    try:
        path = os.path.join(work, "tiny.yaml")
        with open(path, "w") as f:
            f.write(TINY)
        _, manifest = plan(capsim, "run", [path, "--replications", str(n)], work)
        units = manifest["units"]
        t = time.monotonic()
        for u in units:
            subprocess.run([capsim, *u["argv"], "--out", "-"], stdout=subprocess.PIPE, check=True)
        direct = time.monotonic() - t
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                          host="127.0.0.1") as lc, Client(lc) as c:
            c.submit(run_unit, ("path", capsim), units[0]["argv"], pure=False).result()  # warm the worker
            t = time.monotonic()
            futures = [c.submit(run_unit, ("path", capsim), u["argv"], pure=False) for u in units]
            for fu in futures:
                assert fu.result()[0] == 0
            dask = time.monotonic() - t
        return direct, dask, 1000 * (dask - direct) / n
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--points", type=int, default=16)
    p.add_argument("--duration", default="5m", help="simulated duration of each baseline point")
    p.add_argument("--model", choices=("baseline", "mmc"), default="baseline", help="the swept scenario")
    p.add_argument("--trivial", type=int, default=200)
    ns = p.parse_args()
    capsim = os.path.abspath(os.environ.get("CAPSIM_BIN", os.path.join(ROOT, ".build/release/capsim")))
    out = tempfile.mkdtemp(prefix="capsim-bench-out-")
    try:
        one, one_units, c1 = sweep_seconds(capsim, 1, ns.points, ns.duration, os.path.join(out, "w1"), ns.model)
        two, two_units, c2 = sweep_seconds(capsim, 2, ns.points, ns.duration, os.path.join(out, "w2"), ns.model)
        same = subprocess.run(["diff", "-r", os.path.join(out, "w1"), os.path.join(out, "w2")]).returncode == 0
        print(f"sweep of {ns.points} points ({ns.model}, duration {ns.duration if ns.model == 'baseline' else '400k customers'}): end to end 1 worker {one:.1f} s, "
              f"2 workers {two:.1f} s, speed-up {one / two:.2f}x; units phase {one_units:.1f} s vs {two_units:.1f} s, "
              f"speed-up {one_units / two_units:.2f}x; reports identical: {same}")
        print("  phases, 1 worker: " + ", ".join(f"{k} {v:.1f} s" for k, v in c1.items()))
        print("  phases, 2 workers: " + ", ".join(f"{k} {v:.1f} s" for k, v in c2.items()))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    direct, dask, per = overhead_ms(capsim, ns.trivial)
    print(f"{ns.trivial} trivial units: direct {direct:.2f} s, through Dask (1 worker) {dask:.2f} s, "
          f"overhead {per:.1f} ms per unit")
    print(json.dumps({"speedup": round(one / two, 3), "speedup_units": round(one_units / two_units, 3), "overhead_ms": round(per, 2)}))


if __name__ == "__main__":
    main()
