"""``capsim-dask [options] run|sweep <capsim arguments>``."""

import argparse
import os
import sys

from .driver import CapsimError, run_command

COMMANDS = ("run", "sweep")


def parser():
    p = argparse.ArgumentParser(
        prog="capsim-dask",
        description="Run a capsim run or sweep with its units of work on a Dask cluster. Options for "
                    "capsim-dask come before the command; everything after it is capsim's own arguments, "
                    "passed through unchanged. The report is byte-identical to the local command's.",
        epilog="Example: capsim-dask --scheduler tcp://sched:8786 sweep scenarios/baseline.yaml "
               "--param demand.orders_per_hour=6000/h,10000/h --replications 3. Guide: docs/dask.md.")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: a LocalCluster)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes of the LocalCluster when no --scheduler is given (default: CPU count)")
    p.add_argument("--capsim", help="local capsim binary (default: $CAPSIM_BIN, then capsim on PATH)")
    p.add_argument("--worker-capsim", help="the binary's path on the workers when it differs from the local one")
    p.add_argument("--ship-binary", action="store_true",
                   help="copy the local binary to every worker (same OS and libraries needed)")
    p.add_argument("--retries", type=int, default=3, help="reruns of a unit whose capsim process died (default 3)")
    p.add_argument("--keep-parts", metavar="DIR", help="keep the manifest and partial results in DIR")
    p.add_argument("--no-progress", action="store_true", help="no progress on stderr")
    p.add_argument("command", choices=COMMANDS, help="the capsim command to run")
    p.add_argument("args", nargs=argparse.REMAINDER, help="the command's arguments, as for capsim")
    return p


def main(argv=None):
    ns = parser().parse_args(argv)
    if ns.workers is not None and ns.workers < 1:
        print("capsim-dask: --workers must be at least 1", file=sys.stderr)
        return 2
    if ns.scheduler and ns.workers is not None:
        print("capsim-dask: --workers sizes a LocalCluster; with --scheduler the cluster has its own workers", file=sys.stderr)
        return 2
    try:
        return run_command(ns.command, ns.args, capsim=ns.capsim, scheduler=ns.scheduler,
                           workers=ns.workers or os.cpu_count() or 1, ship_binary=ns.ship_binary,
                           worker_capsim=ns.worker_capsim, retries=ns.retries, keep_parts=ns.keep_parts,
                           progress=not ns.no_progress)
    except FileNotFoundError as e:
        print(f"capsim-dask: {e}", file=sys.stderr)
        return 2
    except CapsimError as e:
        print(str(e), file=sys.stderr)
        return e.code


if __name__ == "__main__":
    sys.exit(main())
