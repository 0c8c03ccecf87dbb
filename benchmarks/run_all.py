"""Run every benchmark script in this folder; each prints its own times.

Extra arguments (e.g. ``--install --tests``) are passed to ``bench_book.py`` only.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in sorted(HERE.glob("bench_*.py")):
    extra = sys.argv[1:] if script.name == "bench_book.py" else []
    print(f"== {script.name}", flush=True)
    subprocess.run([sys.executable, str(script), *extra], check=True)
