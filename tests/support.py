"""Test helpers: the repository layout and a way to run real crawls as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "html"


def fixture_site_dirs() -> list[Path]:
    return sorted(p.parent for p in FIXTURES.glob("*/crawl.json"))


def read_jsonl(path: Path) -> list[dict]:
    # split("\n"), not splitlines(): a consumer must survive U+2028 inside a record.
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def run_crawl(args: dict[str, str], out: Path, *settings: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``scrapy crawl tag_archive`` as a user would, from the repository root."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "tag_archive", "-O", str(out)]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    db = out.with_suffix(".sqlite3")
    cmd += ["-s", f"DATABASE_URL=sqlite:///{db}", "-s", "LOG_LEVEL=INFO"]
    for setting in settings:
        cmd += ["-s", setting]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
