"""Workers die: repeat the kill -9 test of distributed mode with random kill times, report the figures.

    python -m bench.distributed_kill [--runs 10] [--max-kill 3.0] [--seed N]

Each round starts its own redis-server (tests/support.py ``RedisServer``) and a fresh
PostgreSQL schema (``AKHBAR_TEST_POSTGRES_URL``, default the local ``test`` database),
serves a generated mirror of 6 tags x 6 pages x 10 entries slowly (0.4 s a page), starts
3 workers, and once the first rows are stored waits a random 0 to ``--max-kill`` seconds,
then kills with SIGKILL whichever worker holds the most leases at that moment. The other
two must finish. Reported per round and in sum: leases the victim held, leases reclaimed
by the survivors, rows stored against the 360 entries, lost, duplicated, exit codes.
The scenario is the one ``tests/test_distributed.py`` runs once.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from bench.machine import describe
from tests.support import RedisServer, postgres_url
from tests.test_distributed import kill_scenario


def one_round(work: Path, kill_after: float) -> dict[str, object]:
    url, schema = postgres_url(), f"akhbar_bench_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f"CREATE SCHEMA {schema}")
    server = RedisServer(work / "redis").start()
    started = time.monotonic()
    try:
        figures = kill_scenario(work, server.url, (url, schema), kill_after)
    finally:
        server.stop()
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()
    return figures | {"kill_after": kill_after, "seconds": time.monotonic() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--max-kill", type=float, default=3.0, help="seconds after the first stored rows")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(describe())
    rows = []
    for n in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="akhbar-kill-") as tmp:
            figures = one_round(Path(tmp), round(rng.uniform(0, args.max_kill), 2))
        rows.append(figures)
        print(
            f"round {n:>2}: kill at +{figures['kill_after']:.2f}s, victim held {figures['held_at_kill']} lease(s), "
            f"{figures['reclaimed']} reclaimed; stored {figures['stored']}/{figures['expected']}, "
            f"lost {figures['lost']}, duplicated {figures['duplicated']}, unexpected {figures['unexpected']}, "
            f"survivors exit {figures['exit_codes']}, {figures['seconds']:.1f}s",
            flush=True,
        )
    clean = sum(
        r["lost"] == r["duplicated"] == r["unexpected"] == 0 and r["exit_codes"] == [0, 0] and r["killed_while_running"]
        for r in rows
    )
    print(
        f"{clean}/{len(rows)} rounds with 0 lost, 0 duplicated, both survivors exiting 0; "
        f"{sum(int(r['held_at_kill']) for r in rows)} leases held by killed workers, "
        f"{sum(int(r['reclaimed']) for r in rows)} reclaimed; "
        f"{sum(int(r['lost']) for r in rows)} entries lost in all"
    )


if __name__ == "__main__":
    main()
