"""A site's listing template: the structure page 1 won with, kept and checked cheaply on later pages.

Full generic extraction (:mod:`crawler.extract.records`) re-decides a page's structure by
scoring every block of cards. An archive's later pages share page 1's layout, so the winning
record paths are kept as a :class:`Template` and a later page only picks the cards on those
paths (no scoring), then :func:`check` tests what it found against what page 1 showed: a
record count no larger than the template allows, titles and dates where page 1 had them, and
entry URLs of page 1's shape. A page that fails the check is a layout change; the caller counts
it and falls back to full extraction.

The template is plain data (JSON for the store, a draft TOML profile for a person).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass

from lxml.html import HtmlElement

# A later page may hold up to this many times page 1's records before a rail is suspected.
_GROWTH = 1.5


@dataclass(frozen=True)
class Template:
    """What page 1 of a host's archive looked like, and where its records sit.

    ``containers`` are the record paths' container signatures (records.py groups cards by
    them) whose cards formed the archive loop, without the page-specific ``body`` label;
    ``records`` page 1's entry count; ``titled``/``dated`` whether page 1's
    entries had titles and dates; ``url_shape`` page 1's most common entry URL shape. The
    CSS fields are for a person's draft profile only, never for extraction.
    """

    containers: tuple[str, ...]
    records: int
    titled: bool
    dated: bool
    url_shape: tuple[int, bool, bool]
    entry_css: str = ""
    title_css: str = ""
    date_css: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Template | None:
        """The stored template, or ``None`` when the text is not one (an older format: learn anew)."""
        try:
            data = json.loads(text)
            return cls(
                containers=tuple(str(c) for c in data["containers"]),
                records=int(data["records"]),
                titled=bool(data["titled"]),
                dated=bool(data["dated"]),
                url_shape=(int(data["url_shape"][0]), bool(data["url_shape"][1]), bool(data["url_shape"][2])),
                entry_css=str(data.get("entry_css", "")),
                title_css=str(data.get("title_css", "")),
                date_css=str(data.get("date_css", "")),
            )
        except (ValueError, KeyError, TypeError, IndexError):
            return None

    def same_structure(self, other: Template) -> bool:
        """Whether two templates name the same record paths (a spot check's question)."""
        return set(self.containers) == set(other.containers)


def page_independent(container: str) -> str:
    """A container signature without the ``body`` and ``html`` labels: their classes name the
    page (WordPress's ``paged-2``, ``tag-NAME``), not the layout."""
    parts = container.split(">")
    cut = next((i for i, part in enumerate(parts) if part.startswith(("body.", "html."))), len(parts))
    return ">".join(parts[:cut])


def most_common_shape(shapes: list[tuple[int, bool, bool]]) -> tuple[int, bool, bool]:
    return Counter(shapes).most_common(1)[0][0]


def check(template: Template, count: int, titles: int, dates: int, shapes: list[tuple[int, bool, bool]]) -> str | None:
    """Why a later page's records do not fit ``template`` (``None`` when they do).

    ``count`` records were found on the template's paths, ``titles`` and ``dates`` of them had
    one. Fewer records than page 1 is normal (the last page); more than page 1 by half again
    means the paths now also take in another block.
    """
    if count == 0:
        return "no records on the template's paths"
    if count > max(template.records * _GROWTH, template.records + 2):
        return f"{count} records where page 1 had {template.records}"
    if template.titled and titles < count:
        return "records without a title"
    if template.dated and dates * 2 < count:
        return "most records without a date"
    if most_common_shape(shapes) != template.url_shape:
        return "entry URLs of another shape"
    return None


def css_step(el: HtmlElement, shared: set[str] | None = None) -> str:
    """One element as a CSS step: its tag and its class tokens without digits (generated ones
    vary), only those in ``shared`` when given (the classes every card carries)."""
    tag = el.tag if isinstance(el.tag, str) else "*"
    classes = [
        c
        for c in (el.get("class") or "").split()
        if not any(ch.isdigit() for ch in c) and c.isascii() and (shared is None or c in shared)
    ]
    return tag + "".join("." + c for c in classes)


def css_path(el: HtmlElement, top: HtmlElement | None = None, shared: set[str] | None = None) -> str:
    """A child-combinator CSS path from below ``top`` (default: ``body``) down to ``el``."""
    steps = [css_step(el, shared)]
    for node in el.iterancestors():
        if node is top or node.tag in ("body", "html"):
            break
        steps.append(css_step(node))
    return " > ".join(reversed(steps))


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def draft_profile(template: Template, host: str) -> str:
    """A draft site profile (docs/profiles.md) with the template's selectors, for a person to check."""
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in host.lower().removeprefix("www.")).strip("-")
    lines = [
        f"# Draft profile learnt from {host}'s listing page; check every selector, set the time zone.",
        f"name = {_toml_string(name)}",
        f"hosts = [{_toml_string(host)}]",
        'timezone = "UTC"  # CHANGE ME: the zone of times the site prints without an offset',
        "",
        "[listing]",
        f"entry = {_toml_string(template.entry_css)}",
    ]
    if template.title_css:
        lines.append(f"title = {_toml_string(template.title_css)}")
    if template.date_css:
        lines.append(f"date = {_toml_string(template.date_css)}")
    return "\n".join(lines) + "\n"
