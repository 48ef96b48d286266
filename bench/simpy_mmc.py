"""The same M/M/c model as scenarios/validation/mmc.yaml in SimPy (a process per customer),
for scripts/bench: c = 8, lambda = 7.2/s, mu = 1/s, N customers, first 10,000 excluded."""
import random
import sys
import time

import simpy

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
C, LAMBDA, MU = 8, 7.2, 1.0
rng = random.Random(42)
waits = []


def customer(env, servers, i):
    arrive = env.now
    with servers.request() as req:
        yield req
        if i >= 10_000:
            waits.append(env.now - arrive)
        yield env.timeout(rng.expovariate(MU))


def source(env, servers):
    for i in range(N):
        env.process(customer(env, servers, i))
        yield env.timeout(rng.expovariate(LAMBDA))


t0 = time.perf_counter()
env = simpy.Environment()
servers = simpy.Resource(env, capacity=C)
env.process(source(env, servers))
env.run()
secs = time.perf_counter() - t0
print(f"customers {N} mean_wait {sum(waits) / len(waits):.5f} seconds {secs:.3f} model_events_per_s {2 * N / secs:.0f}")
