"""Finding the capsim binary locally, and naming it on the workers."""

import hashlib
import os
import shutil
import stat

from distributed.diagnostics.plugin import WorkerPlugin


def find_local(explicit=None):
    """The capsim binary: ``--capsim PATH``, else ``$CAPSIM_BIN``, else ``capsim`` on PATH."""
    for candidate in (explicit, os.environ.get("CAPSIM_BIN")):
        if candidate:
            path = os.path.abspath(candidate)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                return path
            raise FileNotFoundError(f"capsim binary not found or not executable: {candidate}")
    found = shutil.which("capsim")
    if found:
        return os.path.abspath(found)
    raise FileNotFoundError("capsim binary not found: give --capsim PATH, set CAPSIM_BIN, or put capsim on PATH")


class ShipBinary(WorkerPlugin):
    """Copies the capsim binary into every worker's local directory, including workers that
    join later (a worker plugin runs on each new worker). The binary must run there: same OS
    and architecture, and the Swift runtime and libgsl present, or a build with
    ``--static-swift-stdlib`` (docs/dask.md)."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.filename = "capsim-" + hashlib.sha256(self.data).hexdigest()[:16]
        self.name = "capsim-binary-" + self.filename

    def setup(self, worker):
        target = os.path.join(worker.local_directory, self.filename)
        if not os.path.exists(target):
            tmp = target + ".tmp-%d" % os.getpid()
            with open(tmp, "wb") as f:
                f.write(self.data)
            os.chmod(tmp, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
            os.replace(tmp, target)
