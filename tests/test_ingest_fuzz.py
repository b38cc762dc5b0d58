"""The atheris fuzz target of the ingest entry point (``fuzz/fuzz_ingest.py``), run for a bounded time.

Any exception other than InputError, an article the store could not take, or an input that takes over 10 s
fails the test with libFuzzer's report (the crashing input is named in it). ``CROSSCHECK_FUZZ_SECONDS`` sets the
run time (default 20 s); run the script by hand for longer searches.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parents[1] / "fuzz" / "fuzz_ingest.py"
SECONDS = int(os.environ.get("CROSSCHECK_FUZZ_SECONDS", "20"))


def test_fuzzing_the_ingest_entry_point_finds_nothing(tmp_path: Path) -> None:
    command = [
        sys.executable,
        str(FUZZ),
        f"-max_total_time={SECONDS}",
        "-timeout=10",  # a single input slower than this is a hang, reported as a failure
        "-rss_limit_mb=3072",
        "-seed=1",
        f"-artifact_prefix={tmp_path}/",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 90, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "Done " in output, output[-2000:]
    assert not list(tmp_path.glob("crash-*")) and not list(tmp_path.glob("timeout-*"))
