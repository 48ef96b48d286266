"""What a Dask worker runs: one unit, as a ``capsim unit`` subprocess."""

import os
import subprocess


class UnitCrashed(RuntimeError):
    """capsim died on a signal (the machine ran out of memory, someone killed it): worth a
    retry elsewhere, unlike a unit that exits with an error, which would fail again."""


def worker_binary(binary):
    """The binary's path on this worker: a path every worker sees, or a shipped copy."""
    kind, value = binary
    if kind == "path":
        return value
    from distributed import get_worker

    return os.path.join(get_worker().local_directory, value)


def run_unit(binary, argv):
    """Runs ``capsim <argv> --out -`` and returns ``(0, partial result bytes, "")`` or, when
    capsim refuses the unit, ``(exit code, b"", stderr)``: a failure the client reports
    instead of retrying. A crash raises ``UnitCrashed``, which Dask retries (``retries=``)."""
    exe = worker_binary(binary)
    proc = subprocess.run([exe, *argv, "--out", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, check=False)
    if proc.returncode < 0:
        raise UnitCrashed(f"capsim {' '.join(argv[:2])} died on signal {-proc.returncode}")
    if proc.returncode != 0:
        return proc.returncode, b"", proc.stderr.decode("utf-8", "replace")
    return 0, proc.stdout, ""
