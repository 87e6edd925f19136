"""Scheduled runs: ``scrapy crawlall`` over a plan, exit codes, the lock, run reports, crash leftovers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.lock import RunLock
from crawler.plan import PlanError, parse_plan, read_plan
from tests.support import FIXTURES, ROOT, Reply, fault_site, local_site, read_jsonl, run_crawl

FIXTURE_ARCHIVES = {
    "jannah-news.example": 'url = "https://www.jannah-news.example/tag/afcon-2021/"\ntag = "كأس أمم أفريقيا"',
    "drupal-sabah.example": 'url = "https://www.drupal-sabah.example/taxonomy/term/1234"\ntz = "Africa/Tunis"',
}
OFFLINE = ("REPLAY_MODE=replay", f"REPLAY_DIR={FIXTURES}")
LIVE = (
    "RETRY_ENABLED=False",
    "AUTOTHROTTLE_ENABLED=False",
    "ROBOTSTXT_OBEY=False",
    "DOWNLOAD_TIMEOUT=2",
    "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1",  # the tests' own servers
)


def write_plan(path: Path, *entries: str, defaults: str = "follow_articles = false") -> Path:
    body = f"[defaults]\n{defaults}\n" + "".join(f"\n[[crawl]]\n{entry}\n" for entry in entries)
    path.write_text(body, encoding="utf-8")
    return path


def crawlall(
    home: Path, *args: str, settings: tuple[str, ...] = OFFLINE, cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    """``scrapy crawlall`` as an operator runs it, with ``AKHBAR_HOME=home``."""
    cmd = [sys.executable, "-m", "scrapy", "crawlall", *args, "-s", "LOG_LEVEL=INFO"]
    for setting in settings:
        cmd += ["-s", setting]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AKHBAR_HOME": str(home), "SCRAPY_SETTINGS_MODULE": "settings"}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)


def latest_report(home: Path) -> dict:
    return json.loads((home / "out" / "runs" / "latest.json").read_text(encoding="utf-8"))


# --- the plan -------------------------------------------------------------------------------------


def test_plan_expands_sites_into_one_archive_per_tag_with_defaults():
    archives, problems = parse_plan(
        {
            "defaults": {"max_pages": 3, "follow_articles": False},
            "crawl": [
                {"url": "https://a.example/tag/x/", "tz": "Asia/Riyadh", "max_pages": 9},
                {"site": "youm7", "tags": ["مصر", "الاقتصاد"]},
            ],
        }
    )
    assert problems == []
    assert [a.args for a in archives] == [
        {"url": "https://a.example/tag/x/", "tz": "Asia/Riyadh", "max_pages": "9", "follow_articles": "false"},
        {"site": "youm7", "tag": "مصر", "max_pages": "3", "follow_articles": "false"},
        {"site": "youm7", "tag": "الاقتصاد", "max_pages": "3", "follow_articles": "false"},
    ]


def test_plan_reports_every_problem_at_once(tmp_path):
    plan = tmp_path / "crawls.toml"
    plan.write_text(
        '[defaults]\nmax_pages = "ten"\n[[crawl]]\nsite = "youm7"\n[[crawl]]\nurl = "https://a/"\nsite = "b"\n'
        '[[crawl]]\nurl = "https://a/"\ncolour = 1\nfollow_articles = 1\n',
        encoding="utf-8",
    )
    _archives, problems = read_plan(plan)
    assert problems == [
        f"{plan}: [defaults]: max_pages must be int, not str",
        f"{plan}: crawl #1: site 'youm7' needs tags = [\"…\", …], a non-empty list of tag names",
        f'{plan}: crawl #2: give either url = "https://…" or site = "PROFILE" with tags = [...]',
        f"{plan}: crawl #3: unknown key 'colour' (allowed: date_order, follow_articles, incremental, "
        "known_pages_to_stop, max_pages, site, tag, tags, tz, url)",
        f"{plan}: crawl #3: follow_articles must be bool, not int",
    ]


def test_an_unreadable_or_broken_plan_is_one_line(tmp_path):
    with pytest.raises(PlanError, match=r"cannot read the plan"):
        read_plan(tmp_path / "missing.toml")
    (tmp_path / "bad.toml").write_text("[[crawl]\nurl=", encoding="utf-8")
    with pytest.raises(PlanError, match=r"not valid TOML") as caught:
        read_plan(tmp_path / "bad.toml")
    assert len(caught.value.problems) == 1


# --- crawlall -------------------------------------------------------------------------------------


def test_crawlall_crawls_each_archive_with_its_own_feed_counts_and_report(tmp_path):
    plan = write_plan(tmp_path / "crawls.toml", *FIXTURE_ARCHIVES.values())
    result = crawlall(tmp_path, "--plan", str(plan))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    report = latest_report(tmp_path)
    assert (report["status"], report["exit_code"], report["command"]) == ("ok", 0, "crawlall")
    assert report == json.loads((tmp_path / "out" / "runs" / f"{report['run_id']}.json").read_text(encoding="utf-8"))
    by_site = {a["site"]: a for a in report["archives"]}
    assert set(by_site) == set(FIXTURE_ARCHIVES)
    jannah = by_site["jannah-news.example"]
    # The fixture's expected output (14 items over 3 listing pages, 2 repeats) is counted per archive.
    assert (jannah["tag"], jannah["listing_pages"], jannah["items"], jannah["new"]) == ("كأس أمم أفريقيا", 3, 14, 14)
    assert jannah["drops"] == {"dedup/by_url": 2}
    assert report["totals"]["items"] == sum(a["items"] for a in report["archives"])
    for archive in report["archives"]:
        feed = (tmp_path / "out" / "runs" / archive["feed"]).resolve()
        assert len(read_jsonl(feed)) == archive["items"]
        assert {item["site"] for item in read_jsonl(feed)} == {archive["site"]}
        manifest = json.loads((feed.parent / "latest.json").read_text(encoding="utf-8"))
        assert manifest["feed"] == feed.name  # relative to the folder latest.json is in
        assert manifest["counts"]["items"] == archive["items"]
        assert feed.stem == report["run_id"]
    assert "archive" in result.stderr and "run report:" in result.stderr  # the printed table


def test_crawlall_only_runs_the_named_sites_and_refuses_unknown_ones(tmp_path):
    plan = write_plan(tmp_path / "crawls.toml", *FIXTURE_ARCHIVES.values())
    result = crawlall(tmp_path, "--plan", str(plan), "--only", "drupal-sabah.example")
    assert result.returncode == 0, result.stderr[-3000:]
    assert [a["site"] for a in latest_report(tmp_path)["archives"]] == ["drupal-sabah.example"]
    refused = crawlall(tmp_path, "--plan", str(plan), "--only", "nowhere.example")
    assert refused.returncode == 2
    assert "--only: no archive of the plan is on site 'nowhere.example'" in refused.stderr


def test_a_bad_plan_exits_2_with_every_problem_and_no_traceback(tmp_path):
    plan = write_plan(
        tmp_path / "crawls.toml",
        'url = "https://a.example/tag/x/"\ntag = "../../etc"',
        'url = "https://a.example/tag/y/"\ntz = "Mars/Olympus"',
        'site = "no-such-profile"\ntags = ["x"]',
    )
    result = crawlall(tmp_path, "--plan", str(plan))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if line.startswith("akhbar: ")]
    assert len(problems) == 3, result.stderr
    assert "crawl #1" in problems[0] and "'..'" in problems[0]
    assert "crawl #2" in problems[1] and "Mars/Olympus" in problems[1]
    assert "crawl #3" in problems[2] and "no-such-profile" in problems[2]
    assert not (tmp_path / "out" / "runs").exists()  # nothing ran


def page(*links: str) -> bytes:
    cards = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="{href}">خبر عن {href} بعنوان كامل</a></h2>'
        f'<span class="date">17 يونيو 2021</span></article>'
        for href in links
    )
    return f"<html><body><main>{cards}</main></body></html>".encode()


def test_one_failing_archive_fails_the_run_but_not_the_others(tmp_path):
    html = "text/html; charset=utf-8"
    pages = {
        "/tag/ok/": (page("/news/1/", "/news/2/", "/news/3/"), html),
        "/tag/empty/": (
            b"<html><body><main><p>\xd9\x84\xd8\xa7 \xd8\xb4\xd9\x8a\xd8\xa1</p></main></body></html>",
            html,
        ),
    }
    with local_site(pages) as base:
        plan = write_plan(
            tmp_path / "crawls.toml",
            f'url = "{base}/tag/ok/"\ntag = "ok"',
            f'url = "{base}/tag/missing/"\ntag = "missing"',
            f'url = "{base}/tag/empty/"\ntag = "empty"',
        )
        result = crawlall(tmp_path, "--plan", str(plan), settings=LIVE)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    status = {a["tag"]: (a["status"], set(a["failures"])) for a in latest_report(tmp_path)["archives"]}
    assert status == {
        "ok": ("ok", set()),
        # The monitors see the same trouble: no items, and (an empty page) a changed layout.
        "missing": ("failed", {"first_page/http_404", "monitor/items/none"}),
        "empty": ("failed", {"first_page_empty", "monitor/items/none", "monitor/layout/changed"}),
    }
    assert latest_report(tmp_path)["exit_code"] == 1


def test_a_refused_connection_fails_the_archive(tmp_path):
    plan = write_plan(tmp_path / "crawls.toml", 'url = "http://127.0.0.1:9/tag/x/"\ntag = "x"')
    result = crawlall(tmp_path, "--plan", str(plan), settings=LIVE)
    assert result.returncode == 1
    [archive] = latest_report(tmp_path)["archives"]
    assert archive["failures"][0] == "first_page/DownloadConnectionRefusedError"


def test_a_second_run_exits_75_naming_the_holder_and_changes_nothing(tmp_path):
    plan = write_plan(tmp_path / "crawls.toml", *FIXTURE_ARCHIVES.values())
    with RunLock(tmp_path / "out" / "akhbar.sqlite3.lock"):
        result = crawlall(tmp_path, "--plan", str(plan))
        crawl = run_crawl(
            {"url": "https://www.jannah-news.example/tag/afcon-2021/"}, None, db=tmp_path / "out" / "akhbar.sqlite3"
        )
    for refused in (result, crawl):
        assert refused.returncode == 75
        [line] = [line for line in refused.stderr.splitlines() if line.startswith("akhbar:")]
        assert f"pid {os.getpid()} since " in line
    assert not (tmp_path / "out" / "runs").exists()
    assert not (tmp_path / "out" / "feeds").exists()


def test_paths_resolve_against_akhbar_home_not_the_working_directory(tmp_path):
    plan = write_plan(tmp_path / "crawls.toml", FIXTURE_ARCHIVES["jannah-news.example"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # From another folder, with no --plan: AKHBAR_PLAN (crawls.toml) is read from AKHBAR_HOME.
    result = crawlall(tmp_path, cwd=elsewhere)
    assert result.returncode == 0, result.stderr[-3000:]
    assert plan.is_file()
    assert (tmp_path / "out" / "akhbar.sqlite3").is_file()
    assert (tmp_path / "out" / "runs" / "latest.json").is_file()
    assert not list(elsewhere.iterdir())


def test_the_next_run_notes_an_interrupted_run_and_quarantines_its_partial_feed(tmp_path):
    runs = tmp_path / "out" / "runs"
    runs.mkdir(parents=True)
    killed = {"run_id": "2026-01-01T00-00-00-000000Z", "status": "running", "pid": 2**22 + 12345}
    (runs / f"{killed['run_id']}.json").write_text(json.dumps(killed), encoding="utf-8")
    partial = tmp_path / "out" / "feeds" / "jannah-news.example" / "x" / f"{killed['run_id']}.jsonl.part"
    partial.parent.mkdir(parents=True)
    partial.write_text('{"id": "half', encoding="utf-8")
    plan = write_plan(tmp_path / "crawls.toml", FIXTURE_ARCHIVES["jannah-news.example"])
    result = crawlall(tmp_path, "--plan", str(plan))
    assert result.returncode == 0, result.stderr[-3000:]
    report = latest_report(tmp_path)
    assert report["interrupted_runs"] == [killed["run_id"]]
    assert json.loads((runs / f"{killed['run_id']}.json").read_text())["status"] == "interrupted"
    assert not partial.exists()
    [moved] = report["quarantined"]
    assert Path(moved).read_text(encoding="utf-8") == '{"id": "half'
    assert not list((tmp_path / "out" / "feeds").rglob("*.part"))


# --- plain scrapy crawl: same rules -----------------------------------------------------------------


@pytest.mark.parametrize("tag", ["a/b", "..", "x\\y", "x\x1b[31my", "x\ny"])
def test_hostile_tags_are_refused_in_one_line_whatever_the_feed_uri(tmp_path, tag):
    # -O names a fixed file, so the tag never reaches a path; it is refused all the same.
    result = run_crawl({"url": "https://a.example/tag/x/", "tag": tag}, tmp_path / "o.jsonl")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("akhbar:")]
    assert line.startswith("akhbar: bad argument: -a tag= must not contain")
    assert not (tmp_path / "o.jsonl").exists()


def test_a_urls_file_that_is_not_urls_is_refused_without_echoing_it(tmp_path):
    secret = tmp_path / "secrets.txt"
    secret.write_text("https://a.example/tag/x/\nDB_PASSWORD=hunter2\n", encoding="utf-8")
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"\xff\xfe\x00hunter2")
    for path, why in ((secret, "line 2 is not an http(s) URL"), (binary, "not a UTF-8 text file")):
        result = run_crawl({"urls": str(path)}, tmp_path / "o.jsonl")
        assert result.returncode == 2
        assert "hunter2" not in result.stderr + result.stdout
        assert why in result.stderr
        assert "Traceback" not in result.stderr


def test_dash_capital_o_overwrites_even_when_the_run_has_nothing_new(tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_text('{"old": "run"}\n', encoding="utf-8")
    args = {"url": "https://www.jannah-news.example/tag/afcon-2021/", "follow_articles": "false"}
    first = run_crawl({**args, "incremental": "true"}, out, *OFFLINE)
    assert first.returncode == 0, first.stderr[-2000:]
    assert len(read_jsonl(out)) == 14
    again = run_crawl({**args, "incremental": "true"}, out, *OFFLINE)
    assert again.returncode == 0, again.stderr[-2000:]
    assert out.read_text(encoding="utf-8") == ""  # nothing new: an empty file, not the last run's items


def test_one_sites_archives_run_one_after_another_with_progress_lines(tmp_path):
    pages = {}
    for tag in ("a", "b"):
        for n in (1, 2, 3):
            nxt = f'<link rel="next" href="/tag/{tag}/{n + 1}/">' if n < 3 else ""
            links = [f"/{tag}/news/{n}-{i}/" for i in range(3)]
            pages[f"/tag/{tag}/{n}/"] = page(*links).replace(b"<html>", f"<html><head>{nxt}</head>".encode())
    delay = 0.4
    with fault_site({path: Reply(body=body, delay=delay) for path, body in pages.items()}) as site:
        base = site.url
        plan = write_plan(
            tmp_path / "crawls.toml", f'url = "{base}/tag/a/1/"\ntag = "a"', f'url = "{base}/tag/b/1/"\ntag = "b"'
        )
        result = crawlall(tmp_path, "--plan", str(plan), settings=(*LIVE, "AKHBAR_PROGRESS_SECONDS=0.5"))
    assert result.returncode == 0, result.stderr[-3000:]
    starts = {tag: [when for when, path in site.hits if path.startswith(f"/tag/{tag}/")] for tag in ("a", "b")}
    assert len(starts["a"]) == len(starts["b"]) == 3
    first, second = sorted(starts.values(), key=min)
    # Never both at once: the other archive starts only after the last page of the first was answered.
    assert min(second) - max(first) >= delay
    progress = [line for line in result.stderr.splitlines() if line.startswith("akhbar: progress: ")]
    assert len(progress) >= 2, result.stderr[-2000:]
    assert re.fullmatch(r"akhbar: progress: [0-2]/2 archives done, \d+ pages, \d+ items, [\d.]+ items/s", progress[0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"url": "https://a.example/tag/x/", "max_page": "3"}, "unknown argument -a max_page="),
        ({"url": "https://a.example/tag/x/", "follow_articles": "maybe"}, "follow_articles= must be true or false"),
        ({"url": "https://a.example/tag/x/", "max_pages": "ten"}, "max_pages= must be a whole number"),
        ({"url": "ftp://a.example/x"}, "not an http(s) URL"),
        ({"url": "https://a.example/tag/x/", "tz": "Asia/Nowhere"}, "unknown time zone"),
        ({"urls": "/no/such/file.txt"}, "no such file"),
    ],
)
def test_every_malformed_argument_is_one_line_with_exit_2(tmp_path, args, message):
    result = run_crawl(args, tmp_path / "o.jsonl")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("akhbar:")]
    assert line.startswith("akhbar: bad argument: ") and message in line


def test_a_killed_run_leaves_no_final_feed_and_the_next_run_quarantines_its_part(tmp_path):
    """kill -9 while the per-run feed is being written: only ``<run id>.jsonl.part`` exists."""
    pages = {}
    for n in range(1, 41):
        nxt = f'<link rel="next" href="/tag/k/{n + 1}/">' if n < 40 else ""
        body = page(*(f"/k/news/{n}-{i}/" for i in range(5))).replace(b"<html>", f"<html><head>{nxt}</head>".encode())
        pages[f"/tag/k/{n}/"] = Reply(body=body, delay=0.2)
    with fault_site(pages) as site:
        plan = write_plan(tmp_path / "crawls.toml", f'url = "{site.url}/tag/k/1/"\ntag = "k"')
        cmd = [sys.executable, "-m", "scrapy", "crawlall", "--plan", str(plan)]
        for setting in LIVE:
            cmd += ["-s", setting]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "AKHBAR_HOME": str(tmp_path)}
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        feeds = tmp_path / "out" / "feeds"
        deadline = time.monotonic() + 60
        while not list(feeds.rglob("*.part")) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proc.kill()
        proc.wait()
        [part] = feeds.rglob("*.part")
        assert not list(feeds.rglob("*.jsonl"))  # nothing under a final name
        result = crawlall(tmp_path, "--plan", str(plan), settings=LIVE)
    assert result.returncode == 0, result.stderr[-3000:]
    report = latest_report(tmp_path)
    assert report["interrupted_runs"] == [part.name.removesuffix(".jsonl.part")]
    assert [Path(p).name for p in report["quarantined"]] == [part.name]
    [feed] = feeds.rglob("*.jsonl")
    assert len(read_jsonl(feed)) == report["archives"][0]["items"] == 200
    assert not list(feeds.rglob("*.part"))
