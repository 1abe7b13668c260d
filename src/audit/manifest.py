"""Tamper evidence for a run folder: ``manifest.sha256``, one line per file in ``sha256sum``
format, written last, and :func:`verify`.

The summary page shows the hash of the evidence: the manifest's lines for every file but
``index.html``, taken before that hash is written into the page; the page's own line comes
last. So ``sha256sum -c manifest.sha256`` checks every file, the page included, and the
hash an auditor files from the page pins every other file.

>>> import tempfile
>>> run = Path(tempfile.mkdtemp())
>>> _ = (run / "findings.json").write_text("{}")
>>> _ = (run / "index.html").write_text("<p>MANIFEST</p>")
>>> shown = seal(run, lambda h: (run / "index.html").write_text(f"<p>{h}</p>"))
>>> verify(run)
[]
>>> _ = (run / "findings.json").write_text('{"edited": 1}')
>>> verify(run)
['changed: findings.json']
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

NAME = "manifest.sha256"
PAGE = "index.html"


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _files(run: Path) -> list[str]:
    """Every file under ``run`` but the manifest, as sorted relative POSIX paths."""
    return sorted(
        p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file() and p.name != NAME
    )


def _line(run: Path, rel: str) -> str:
    return f"{file_hash(run / rel)}  {rel}\n"


def evidence_hash(lines: str) -> str:
    """The hash shown on the summary page: of the manifest's lines but the page's."""
    return hashlib.sha256(lines.encode()).hexdigest()


def seal(run: Path, show: Callable[[str], None]) -> str:
    """Write ``run/manifest.sha256``; ``show(hash)`` writes the evidence hash into the
    summary page between the two steps. Returns the evidence hash."""
    body = "".join(_line(run, rel) for rel in _files(run) if rel != PAGE)
    shown = evidence_hash(body)
    if (run / PAGE).is_file():
        show(shown)
        body += _line(run, PAGE)
    (run / NAME).write_text(body)
    return shown


def verify(run: Path) -> list[str]:
    """What no longer matches the manifest: ``changed: F``, ``missing: F``, ``added: F``,
    and ``index.html does not show this manifest's hash``; empty when all match."""
    manifest = run / NAME
    if not manifest.is_file():
        return [f"missing: {NAME}"]
    listed: dict[str, str] = {}
    body = []
    for line in manifest.read_text().splitlines(keepends=True):
        digest, sep, rel = line.rstrip("\n").partition("  ")
        if not sep or len(digest) != 64:
            return [f"{NAME}: not in sha256sum format: {line.strip()[:80]!r}"]
        listed[rel] = digest
        if rel != PAGE:
            body.append(line)
    problems = []
    present = set(_files(run))
    for rel, digest in listed.items():
        if rel not in present:
            problems.append(f"missing: {rel}")
        elif file_hash(run / rel) != digest:
            problems.append(f"changed: {rel}")
    problems += [f"added: {rel}" for rel in sorted(present - set(listed))]
    page = run / PAGE
    if (
        PAGE in listed
        and page.is_file()
        and evidence_hash("".join(body)) not in page.read_text(encoding="utf-8", errors="replace")
    ):
        problems.append(f"{PAGE} does not show this manifest's hash")
    return problems
