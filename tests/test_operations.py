"""docs/operations.md stays true: its systemd units verify, its cron line parses, scrapy.cfg deploys,
and start-up never reaches for the network."""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import sys
from configparser import ConfigParser

import pytest

from tests.support import ROOT

DOC = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.S)


def test_the_systemd_units_in_the_docs_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed")
    service, timer = blocks("ini")
    # The units as printed, pointed at this checkout and this user.
    service = service.replace("/opt/akhbar", str(ROOT)).replace("User=akhbar", f"User={getpass.getuser()}")
    (tmp_path / "akhbar-crawl.service").write_text(service, encoding="utf-8")
    (tmp_path / "akhbar-crawl.timer").write_text(timer, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "akhbar-crawl.service", "akhbar-crawl.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "akhbar-crawl" not in result.stderr, result.stderr  # no warning about either unit


def test_the_cron_line_has_five_valid_time_fields_and_runs_crawlall():
    [line] = [b.strip() for b in blocks("cron")]
    fields = line.split(maxsplit=5)
    ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
    for field, (low, high) in zip(fields[:5], ranges, strict=True):
        for part in field.split(","):
            base, _, step = part.partition("/")
            assert not step or step.isdigit()
            if base != "*":
                first, _, last = base.partition("-")
                assert low <= int(first) <= high and (not last or low <= int(last) <= high), field
    assert "AKHBAR_HOME=" in fields[5] and "scrapy crawlall" in fields[5]


def test_scrapy_cfg_names_a_scrapyd_deploy_target():
    config = ConfigParser()
    config.read(ROOT / "scrapy.cfg")
    assert config["deploy"]["project"] == "akhbar"
    assert config["deploy"]["url"].startswith("http") and not config["deploy"]["url"].endswith("/")
    assert config["settings"]["default"] == "settings"


def test_start_up_uses_the_bundled_public_suffix_list():
    """Scrapy's cookie middleware builds ``TLDExtract(include_psl_private_domains=True)`` at import;
    once the settings are loaded, such an extractor has no URL to fetch and uses its snapshot."""
    probe = (
        "import settings, tldextract; x = tldextract.TLDExtract(include_psl_private_domains=True);"
        "print(repr(x.suffix_list_urls), x('https://a.b.example.co.uk').suffix)"
    )
    env = {k: v for k, v in os.environ.items() if k != "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["()", "co.uk"]
