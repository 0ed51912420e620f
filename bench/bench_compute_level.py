"""Time ``manage.py compute_level`` on a full TT18/2018 report (every indicator and Mức 4 requirement).

Run from the project root: ``.venv/bin/python -m bench.bench_compute_level`` (``make bench`` does). It
uses the benchmark database of ``bench.common`` (PostgreSQL kd_bench_level when reachable) and loads
the bundled catalogs first (idempotent). Prints, in milliseconds,
the in-process time of the command (median of several runs) and the wall time of one complete
``manage.py compute_level`` process, Django start-up included. Informative only: no assertion.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def full_report() -> dict:
    data = json.loads((ROOT / "standards" / "data" / "tt18_2018.json").read_text(encoding="utf-8"))
    indicators = {
        criterion["number"]: {
            level: {item["key"]: (criterion["number"], level) != ("1.1", "3") for item in items}
            for level, items in criterion["levels"].items()
        }
        for standard in data["standards"]
        for criterion in standard["criteria"]
    }
    return {
        "regulation": "TT18/2018",
        "school": {"completed_cohorts": 3, "years_operating": 12},
        "indicators": indicators,
        "level4": {str(r["number"]): True for r in data["level4_requirements"]},
    }


def main(runs: int = 20) -> None:
    from bench.common import measure, setup

    client = setup("kd_bench_level")  # the environment is inherited by the manage.py process below
    from django.core.management import call_command

    baseline = measure(client, "/healthz")

    call_command("load_standards", stdout=io.StringIO())
    payload = full_report()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(payload, handle)
        path = handle.name
    try:
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            call_command("compute_level", path, stdout=io.StringIO())
            timings.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "compute_level", path],
            capture_output=True, text=True, cwd=ROOT, check=True,
        )
        wall = (time.perf_counter() - started) * 1000
    finally:
        os.unlink(path)
    output = json.loads(result.stdout)
    indicator_count = sum(len(keys) for levels in payload["indicators"].values() for keys in levels.values())
    print(f"compute_level, full TT18/2018 report ({len(payload['indicators'])} criteria, {indicator_count} verdicts)")
    print(f"  in-process: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms over {runs} runs")
    print(f"  whole process (Django start-up included): {wall:.0f} ms")
    print(f"  /healthz baseline median {baseline['median_ms']:.2f} ms (same run)")
    print(f"  result: school_level={output['school_level']} accreditation_level={output['accreditation_level']} "
          f"national_standard={output['national_standard']}")


if __name__ == "__main__":
    main()
