"""Fixtures for capsim-dask's tests: the built capsim binary, a loopback LocalCluster with
two single-threaded worker processes, and a folder with a small M/M/c scenario."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))

# An M/M/3 at rho = 0.8 whose replications take a fraction of a second in a release build:
# long enough that a worker can be killed while it runs one, short enough for CI.
SCENARIO = """\
name: mm3
seed: 11
model: queueing
queueing:
  customers: 150000
  warmup_customers: 2000
  arrivals:
    - { to: server, rate: 2.4/s }
  stations:
    server:
      servers: 3
      service: { exponential: { mean: 1s } }
slos:
  - { metric: server.wait.p99, max: 20s }
"""


def _binary():
    for key in ("CAPSIM_BIN", "CAPSIM_BINARY"):
        if os.environ.get(key):
            return os.environ[key]
    for config in ("release", "debug"):
        p = os.path.join(ROOT, ".build", config, "capsim")
        if os.access(p, os.X_OK):
            return p
    pytest.fail("capsim is not built: set CAPSIM_BIN or run swift build -c release --product capsim")


@pytest.fixture(scope="session")
def capsim():
    return _binary()


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                     dashboard_address=None)
    client = Client(c)
    yield c, client
    client.close()
    c.close()


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    (tmp_path / "mm3.yaml").write_text(SCENARIO)
    monkeypatch.chdir(tmp_path)
    return tmp_path
