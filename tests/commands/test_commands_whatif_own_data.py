"""``whatif`` is synthetic-only and says so, pointing to ``analyse --spec`` for a reader's own data."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_whatif_refuses_own_data_with_a_pointer():
    for flag in ("--data", "--spec"):
        done = subprocess.run([sys.executable, "-m", "leftbehind", "whatif", flag, "x"], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "synthetic cohort only" in done.stderr and "analyse DATA --spec SPEC.yaml" in done.stderr


def test_whatif_help_says_synthetic_only():
    done = subprocess.run([sys.executable, "-m", "leftbehind", "whatif", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert "synthetic cohort only" in " ".join(done.stdout.split())
