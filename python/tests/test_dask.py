"""capsim-dask against the local commands: byte-identical report folders, a worker killed
mid-sweep, and bad input refused with capsim's message (exit 2, nothing written)."""

import os
import signal
import subprocess
import sys

import pytest

from capsim_dask import CapsimError, run_command

SWEEP = ["mm3.yaml", "--param", "queueing.stations.server.servers=3,4,5,6", "--replications", "2"]
RUN = ["mm3.yaml", "--replications", "4"]


def tree(root):
    """Every file under root, by relative path, with its bytes."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as h:
                out[os.path.relpath(p, root)] = h.read()
    return out


def local(capsim, command, args, out):
    proc = subprocess.run([capsim, command, *args, "--out", out, "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return tree(out)


def same_trees(a, b):
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], f"{name} differs"


def test_sweep_on_two_workers_matches_local(capsim, cluster, workspace):
    _, client = cluster
    expected = local(capsim, "sweep", SWEEP, "local")
    # 4 points x 2 replications, one part each; the folder holds every point's report.
    assert "mm3-sweep/sweep.json" in expected and "mm3-sweep/points/3/report.json" in expected
    code = run_command("sweep", SWEEP + ["--out", "dask", "--quiet"], capsim=capsim, client=client, progress=False)
    assert code == 0
    same_trees(expected, tree("dask"))


def test_replicated_run_on_two_workers_matches_local(capsim, cluster, workspace):
    _, client = cluster
    expected = local(capsim, "run", RUN, "local")
    assert "mm3/replications.json" in expected and "mm3/report.json" in expected
    code = run_command("run", RUN + ["--out", "dask", "--quiet"], capsim=capsim, client=client, progress=False)
    assert code == 0
    same_trees(expected, tree("dask"))


def test_worker_killed_mid_sweep_gives_the_same_report(capsim, cluster, workspace):
    lc, client = cluster
    expected = local(capsim, "sweep", SWEEP, "local")
    killed = []

    def kill_a_busy_worker(done, total, c):
        # After the first part arrives, SIGKILL the process of a worker that is running a
        # unit right now; its nanny restarts it and the scheduler reruns the lost units.
        if killed or done == total:
            return
        busy = [addr for addr, keys in c.processing().items() if keys]
        for nanny in lc.workers.values():
            if nanny.worker_address in busy:
                os.kill(nanny.process.process.pid, signal.SIGKILL)
                killed.append(nanny.worker_address)
                return

    code = run_command("sweep", SWEEP + ["--out", "dask", "--quiet"], capsim=capsim, client=client,
                       progress=False, on_unit_done=kill_a_busy_worker)
    assert killed, "no worker was busy after the first unit: the units are too short to test a kill"
    assert code == 0
    same_trees(expected, tree("dask"))


def test_bad_scenario_exits_2_with_its_message_and_writes_nothing(capsim, cluster, workspace):
    _, client = cluster
    (workspace / "bad.yaml").write_text((workspace / "mm3.yaml").read_text().replace("servers: 3", "servers: three"))
    expected = subprocess.run([capsim, "validate", "bad.yaml"], capture_output=True, text=True)
    assert expected.returncode == 2
    with pytest.raises(CapsimError) as e:
        run_command("sweep", ["bad.yaml", "--param", "seed=1,2", "--out", "dask"], capsim=capsim, client=client, progress=False)
    assert e.value.code == 2
    # capsim's own message: file, line and field of the bad value, as `capsim validate` says it.
    first = expected.stderr.splitlines()[0]
    assert first.startswith("bad.yaml:") and "servers" in first
    assert first in str(e.value)
    assert not os.path.exists("dask")


def test_unit_refused_on_a_worker_exits_2_and_writes_nothing(capsim, cluster, workspace):
    # A worker whose copy of the scenario differs from the planner's: capsim unit refuses it
    # (the digest differs) and the whole command stops before anything is merged.
    _, client = cluster
    (workspace / "other.yaml").write_text((workspace / "mm3.yaml").read_text().replace("seed: 11", "seed: 12"))
    wrapper = workspace / "stale-worker.sh"
    wrapper.write_text(
        "#!/usr/bin/env python3\nimport os, sys\nargs = sys.argv[1:]\n"
        "if args[args.index('--replication') + 1] == '1': args[1] = %r\n"
        "os.execv(%r, [%r] + args)\n" % (str(workspace / "other.yaml"), capsim, capsim))
    wrapper.chmod(0o755)
    with pytest.raises(CapsimError) as e:
        run_command("run", RUN + ["--out", "dask"], capsim=capsim, worker_capsim=str(wrapper), client=client, progress=False)
    assert e.value.code == 2
    assert "is not the one the units were planned from" in str(e.value)
    assert not os.path.exists("dask")


def test_unit_whose_capsim_process_dies_is_retried(capsim, cluster, workspace):
    # The first attempt of replication 2 dies on SIGKILL (as under the OOM killer); Dask runs
    # the unit again (retries=) and the report is the local one.
    _, client = cluster
    expected = local(capsim, "run", RUN, "local")
    marker = workspace / "died-once"
    wrapper = workspace / "flaky-capsim"
    wrapper.write_text(
        "#!/usr/bin/env python3\nimport os, signal, sys\nargs = sys.argv[1:]\n"
        "if args[args.index('--replication') + 1] == '2' and not os.path.exists(%r):\n"
        "    open(%r, 'w').close()\n    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.execv(%r, [%r] + args)\n" % (str(marker), str(marker), capsim, capsim))
    wrapper.chmod(0o755)
    code = run_command("run", RUN + ["--out", "dask", "--quiet"], capsim=capsim, worker_capsim=str(wrapper),
                       client=client, retries=2, progress=False)
    assert marker.exists()  # the first attempt did die
    assert code == 0
    same_trees(expected, tree("dask"))


def test_command_line_passes_arguments_through(capsim, workspace):
    # The console script end to end, with its own two-worker LocalCluster.
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    expected = local(capsim, "run", ["mm3.yaml", "--replications", "2"], "local")
    proc = subprocess.run([sys.executable, "-m", "capsim_dask", "--workers", "2", "--capsim", capsim,
                           "run", "mm3.yaml", "--replications", "2", "--out", "dask"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "mm3: " in proc.stdout and "2 replication(s)" in proc.stdout  # capsim merge's summary
    assert "capsim-dask: 2/2 units done" in proc.stderr
    same_trees(expected, tree("dask"))
    bad = subprocess.run([sys.executable, "-m", "capsim_dask", "--workers", "2", "--capsim", capsim,
                          "run", "mm3.yaml", "--replications", "0"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "--replications must be from 1 to 1000" in bad.stderr


def test_real_scheduler_and_workers_without_the_package_and_a_shipped_binary(capsim, workspace, tmp_path_factory):
    # `dask scheduler` and `dask worker` as a user starts them (loopback only): the workers
    # have dask but not capsim_dask on their path, and get the binary shipped by the client.
    import json
    import time

    scratch = tmp_path_factory.mktemp("cluster")
    info = scratch / "scheduler.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--dashboard-address", ":0", "--scheduler-file", str(info)],
                              cwd=scratch, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        procs.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nworkers", "2", "--nthreads", "1",
                                       "--host", "127.0.0.1", "--local-directory", str(scratch / "workers")],
                                      cwd=scratch, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        expected = local(capsim, "sweep", SWEEP, "local")
        code = run_command("sweep", SWEEP + ["--out", "dask", "--quiet"], capsim=capsim, scheduler=address,
                           ship_binary=True, progress=False)
        assert code == 0
        same_trees(expected, tree("dask"))
        shipped = [p for p in (scratch / "workers").rglob("capsim-*") if p.is_file()]
        assert len(shipped) >= 1 and all(os.access(p, os.X_OK) for p in shipped)
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
