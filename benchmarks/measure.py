"""Shared by the benchmark scripts: run a command as a child process and report its wall time, CPU time and
peak memory; note how busy the machine was; append a record to ``benchmarks/results/``.  Times are printed,
never asserted."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


@dataclass
class Run:
    wall_s: float
    cpu_s: float  # user + system CPU of the child (robust to other processes sharing the cores)
    peak_mb: float  # the child's maximum resident set size
    load_before: float  # 1-minute load average when it started (the machine's contention)


def run(command: list[str], env: dict | None = None, cwd: Path = ROOT) -> Run:
    """Run ``command`` (output discarded unless it fails) and measure it with ``wait4``."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    errors = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(map(str, command))} failed ({child.returncode}):\n{errors[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, load)


def machine() -> dict:
    return {"machine": platform.platform(), "cores": os.cpu_count(), "python": sys.version.split()[0],
            "load_1min_at_end": os.getloadavg()[0]}


def append(name: str, record: dict) -> Path:
    """Append ``record`` (plus the time and machine) as one JSON line to ``benchmarks/results/<name>.jsonl``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.jsonl"
    record = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **machine(), **record}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(record, default=lambda o: asdict(o)) + "\n")
    return path


def line(label: str, r: Run, ratio: str = "") -> str:
    return (f"{label:<34} {r.wall_s:8.1f} s wall {r.cpu_s:8.1f} s CPU {r.peak_mb:8.0f} MB peak"
            f"  load {r.load_before:4.1f}  {ratio}")
