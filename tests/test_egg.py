"""Deployment as scrapyd does it: the project built into an egg (a zip) still finds its site profiles."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.support import ROOT

# What ``scrapyd-deploy --build-egg`` writes when the project has no setup.py.
SCRAPYD_SETUP = """from setuptools import setup, find_packages
setup(name="project", version="1.0", packages=find_packages(), entry_points={"scrapy": ["settings = settings"]})
"""
PROBE = """
import json, crawler, crawler.profiles as p
profile = p.profile_by_name("youm7")
matched = p.profile_for_url("https://www.youm7.com/tag/x").name
print(json.dumps({"module": crawler.__file__, "hosts": list(profile.hosts), "matched": matched,
                  "count": len(p.default_profiles())}))
"""


def test_profiles_load_through_importlib_resources_from_a_built_egg(tmp_path):
    source = tmp_path / "src"
    for package in ("crawler", "pipelines"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("settings.py", "pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy(ROOT / name, source / name)
    (source / "setup.py").write_text(SCRAPYD_SETUP, encoding="utf-8")
    build = subprocess.run(
        [sys.executable, "setup.py", "-q", "bdist_egg", "-d", str(tmp_path / "dist")],
        cwd=source,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    [egg] = (tmp_path / "dist").glob("*.egg")
    shutil.rmtree(source)  # nothing but the egg is left to import from
    env = {**os.environ, "PYTHONPATH": str(egg)}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    found = json.loads(probe.stdout)
    assert found["module"].startswith(str(egg))  # imported from inside the zip, not the checkout
    assert "www.youm7.com" in found["hosts"]
    assert found["matched"] == "youm7"
    assert found["count"] == len(list((ROOT / "crawler" / "sites").glob("*.toml")))
