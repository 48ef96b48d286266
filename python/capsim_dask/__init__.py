"""Run capsim sweeps and replicated runs as units of work on a Dask cluster.

The work is capsim's own: ``capsim units`` plans the command's units, each worker runs
``capsim unit`` for one replication on one thread, and ``capsim merge`` writes the report
exactly as the local command would have. This package only moves units and their results.
"""

from .driver import CapsimError, run_command

__all__ = ["CapsimError", "run_command"]
__version__ = "0.1.0"
