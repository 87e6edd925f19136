"""Shared pytest fixtures."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support import read_jsonl, run_crawl


@pytest.fixture
def crawl(tmp_path: Path):
    def _crawl(args: dict[str, str], *settings: str) -> tuple[list[dict], subprocess.CompletedProcess]:
        out = tmp_path / "out.jsonl"
        result = run_crawl(args, out, *settings)
        assert result.returncode == 0, result.stderr[-3000:]
        return read_jsonl(out), result

    return _crawl
