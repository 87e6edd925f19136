"""Monitors and alerts: item-count history, layout change, and both ways out, on 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support import ROOT, Reply, fault_site, local_site

LIVE = (
    "RETRY_ENABLED=False",
    "AUTOTHROTTLE_ENABLED=False",
    "ROBOTSTXT_OBEY=False",
    "DOWNLOAD_TIMEOUT=2",
    "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1",  # the tests' own servers
)
HTML = "text/html; charset=utf-8"


def listing(count: int) -> bytes:
    cards = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="/news/{n}/">خبر رقم {n} عن الموضوع نفسه</a></h2>'
        f'<span class="date">17 يونيو 2021</span></article>'
        for n in range(1, count + 1)
    )
    return f"<html><body><main>{cards}</main></body></html>".encode()


@contextmanager
def collector() -> Iterator[tuple[str, list[dict]]]:
    """A webhook receiver on 127.0.0.1: yields its URL and the JSON bodies POSTed to it."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/hook", received
    finally:
        httpd.shutdown()
        httpd.server_close()


def crawlall(home: Path, *settings: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scrapy", "crawlall", "-s", "LOG_LEVEL=INFO"]
    for setting in (*LIVE, *settings):
        cmd += ["-s", setting]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "AKHBAR_HOME": str(home), **(env or {})}
    return subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120, check=False)


def report(home: Path) -> dict:
    return json.loads((home / "out" / "runs" / "latest.json").read_text(encoding="utf-8"))


def test_item_count_falls_warn_and_zero_fails_with_alerts_sent_both_ways(tmp_path):
    routes = {"/tag/x/": Reply(body=listing(10))}
    saved = tmp_path / "alerts.jsonl"
    script = tmp_path / "save_alert.py"
    script.write_text(
        "import sys\nwith open(sys.argv[1], 'a', encoding='utf-8') as out:\n    out.write(sys.stdin.read() + '\\n')\n",
        encoding="utf-8",
    )
    with fault_site(routes) as site, collector() as (hook, received):
        base = site.url
        (tmp_path / "crawls.toml").write_text(
            f'[defaults]\nfollow_articles = false\n[[crawl]]\nurl = "{base}/tag/x/"\ntag = "x"\n', encoding="utf-8"
        )
        env = {"AKHBAR_ALERT_COMMAND": f"{sys.executable} {script} {saved}", "AKHBAR_ALERT_WEBHOOK": hook}
        for _ in range(3):  # history: 10 items a run (a plain run stores them again)
            first = crawlall(tmp_path, env=env)
            assert first.returncode == 0, first.stderr[-3000:]
            assert report(tmp_path)["archives"][0]["alerts"] == []
        routes["/tag/x/"] = Reply(body=listing(4))  # 4 < half of the median (10): a warning, the run still succeeds
        fell = crawlall(tmp_path, env=env)
        assert fell.returncode == 0, fell.stderr[-3000:]
        [warning] = report(tmp_path)["archives"][0]["alerts"]
        assert (warning["level"], warning["monitor"]) == ("warning", "items/fell")
        assert warning["message"] == "4 items, against a median of 10 over the last 3 runs"
        assert "alert (warning) items/fell" in fell.stderr

        routes["/tag/x/"] = Reply(body=b"<html><body><main><p>...</p></main></body></html>")
        zero = crawlall(tmp_path, env=env)
        assert zero.returncode == 1
        alerts = {(a["level"], a["monitor"]) for a in report(tmp_path)["archives"][0]["alerts"]}
        assert alerts == {("error", "items/none"), ("error", "layout/changed")}

    by_command = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert [(a["level"], a["monitor"]) for a in by_command] == [(a["level"], a["monitor"]) for a in received]
    assert [a["monitor"] for a in received] == ["items/fell", "items/none", "layout/changed"]
    assert received[0]["archive"] == f"{base}/tag/x/"
    assert received[0]["tag"] == "x"


def test_a_failing_way_out_is_counted_and_does_not_break_the_run(tmp_path):
    with local_site({"/tag/x/": (b"<html><body><main></main></body></html>", HTML)}) as base:
        (tmp_path / "crawls.toml").write_text(f'[[crawl]]\nurl = "{base}/tag/x/"\ntag = "x"\n', encoding="utf-8")
        env = {"AKHBAR_ALERT_COMMAND": "/nonexistent/alert-command", "AKHBAR_ALERT_WEBHOOK": "http://127.0.0.1:9/"}
        result = crawlall(tmp_path, env=env)
    assert result.returncode == 1  # the archive failed (empty), not the run's machinery
    assert "Traceback" not in result.stderr
    assert "alert command failed" in result.stderr and "alert webhook failed" in result.stderr
    assert "'akhbar/alerts/delivery_failed': 4" in result.stderr  # two alerts, two ways each
