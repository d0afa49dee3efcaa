#!/usr/bin/env python3
"""The seed's own world: cosched's spawn-and-await benchmark with asyncio.

The same two workloads as cosched-bench's driver (src/lib.rs):

* spawn-await: create N trivial tasks with ``asyncio.create_task``, keeping
  them, then await each;
* pending: create N tasks that each wait on one shared ``asyncio.Event``,
  wait until all N are suspended on it at once, set it, then await each.

Modes (each in its own process, so that its memory high-water mark is its
own):

    python3 asyncio_spawn.py --mode time --n N --reps K
        best_ns=... median_ns=... (wall time per task of spawn-await)
    python3 asyncio_spawn.py --mode spawn-await --n N
    python3 asyncio_spawn.py --mode pending --n N
        hwm_kb=... before_kb=... ns=... minflt=... (VmHWM after the run,
        VmRSS before it, the run's wall time and minor page faults)

Output is ``key=value`` pairs on one line, as the driver parses them.
"""

import argparse
import asyncio
import platform
import resource
import statistics
import time


async def trivial(i):
    return i


async def parked(event, counter, i):
    counter[0] += 1
    await event.wait()
    return i


async def spawn_await(n):
    start = time.perf_counter_ns()
    tasks = [asyncio.create_task(trivial(i)) for i in range(n)]
    total = 0
    for task in tasks:
        total += await task
    return time.perf_counter_ns() - start


async def pending(n):
    start = time.perf_counter_ns()
    event = asyncio.Event()
    counter = [0]
    tasks = [asyncio.create_task(parked(event, counter, i)) for i in range(n)]
    while counter[0] < n:
        await asyncio.sleep(0)
    event.set()
    total = 0
    for task in tasks:
        total += await task
    return time.perf_counter_ns() - start


def status_kb(field):
    """A field of /proc/self/status in kB, or 0 where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["time", "spawn-await", "pending"], default="time")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()

    if args.mode == "time":
        asyncio.run(spawn_await(1000))  # warm-up
        samples = sorted(asyncio.run(spawn_await(args.n)) / args.n for _ in range(args.reps))
        print(
            f"python={platform.python_implementation()}-{platform.python_version()}"
            f" best_ns={samples[0]:.1f} median_ns={statistics.median(samples):.1f}"
        )
    else:
        workload = spawn_await if args.mode == "spawn-await" else pending
        asyncio.run(workload(1))  # warm-up, as the driver's children do
        before = status_kb("VmRSS")
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        elapsed = asyncio.run(workload(args.n))
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        print(f"hwm_kb={status_kb('VmHWM')} before_kb={before} ns={elapsed} minflt={faults}")


if __name__ == "__main__":
    main()
