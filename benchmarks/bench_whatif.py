"""``python -m leftbehind whatif`` per run, and how much of it is imports (issue 15, part 4; target <= 3 s).

    .venv/bin/python benchmarks/bench_whatif.py [--repeat 3] [--no-before]

Each run is a fresh process, as a student turning knobs starts it; the cohort is cached on disk after the
first run (a warm-up run fills the cache and is not counted).  Printed: the best of ``--repeat`` runs of
``whatif`` (wall, CPU, peak memory), the import of the command alone and a bare interpreter, and -- for the
ratio in the same run -- the same command from the code *before* this change (the merge base with ``main``,
exported with ``git archive`` to a temporary folder and run with the same environment).  On a shared machine
the wall time depends on the load (printed); the CPU time much less.  Results are appended to
``benchmarks/results/whatif.jsonl``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import ROOT, append, line, run  # noqa: E402


def best(command, repeat, env=None, cwd=ROOT):
    runs = [run(command, env=env, cwd=cwd) for _ in range(repeat)]
    return min(runs, key=lambda r: r.wall_s)


def export_before(folder: Path) -> tuple[Path, str] | None:
    """The merge base with ``main`` (src/ and data/) in ``folder``; None when there is no such commit."""
    try:
        base = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        archive = folder / "before.tar"
        subprocess.run(["git", "archive", "-o", str(archive), base, "src", "data"], cwd=ROOT, check=True)
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "before", filter="data")
    return folder / "before", base[:7]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-before", action="store_true", help="skip the run of the code before this change")
    args = parser.parse_args(argv)
    py = sys.executable
    run([py, "-m", "leftbehind", "whatif"])  # warm-up: fills the cohort cache
    after = best([py, "-m", "leftbehind", "whatif"], args.repeat)
    imports = best([py, "-c", "import leftbehind.commands.whatif"], args.repeat)
    bare = best([py, "-c", "pass"], args.repeat)
    print(line("whatif (best of runs)", after, "(target <= 3 s wall)"))
    print(line("  of which: import the command", imports, f"{imports.wall_s / after.wall_s:.0%} of the run"))
    print(line("  of which: bare interpreter", bare))
    record = {"whatif": after, "import": imports, "interpreter": bare}
    if not args.no_before:
        with tempfile.TemporaryDirectory() as folder:
            exported = export_before(Path(folder))
            if exported:
                tree, commit = exported
                env = {"PYTHONPATH": str(tree / "src"), "LEFTBEHIND_ROOT": str(tree)}
                run([py, "-m", "leftbehind", "whatif"], env=env, cwd=tree)  # warm-up: its own cache
                before = best([py, "-m", "leftbehind", "whatif"], args.repeat, env=env, cwd=tree)
                before_imports = best([py, "-c", "import leftbehind.commands.whatif"], args.repeat, env=env, cwd=tree)
                print(line(f"before ({commit}) whatif", before,
                           f"before / now = {before.wall_s / after.wall_s:.2f} (CPU {before.cpu_s / after.cpu_s:.2f})"))
                print(line(f"before ({commit}) import", before_imports))
                record.update(before_commit=commit, before=before, before_import=before_imports,
                              before_over_now=before.wall_s / after.wall_s)
    print(f"appended to {append('whatif', record)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
