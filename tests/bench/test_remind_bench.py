"""bench/remind_bench.py runs end to end at a tiny size and reports every figure. Nothing is timed here:
what must hold is that both loops deliver every mail and that the table comes out whole."""

import subprocess
import sys

from elearn.config import PROJECT_ROOT


def test_the_reminder_benchmark_sends_every_mail_both_ways_and_reports_them(tmp_path):
    done = subprocess.run(
        [sys.executable, "bench/remind_bench.py", "--mails", "20"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "ELEARN_INSTANCE_PATH": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("| run | mails | seconds | mails/s | peak RSS (MiB) |")
    assert sum("| 20 |" in line for line in lines) == 2 and any("| 2 |" in line for line in lines)
    assert "Rate against the limit:" in done.stdout
