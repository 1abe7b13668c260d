"""``report.pdf``: the summary and every notebook page of a run in one paginated file, printed
by the system's Chromium (headless) with the report's print stylesheet.

The pages share one template and so one stylesheet: their bodies are joined in one document
(a page break before each), printed, and the joined document is removed.

>>> joined(["<html><head><style>a{}</style></head><body class='x'><p>1</p></body></html>",
...         "<html><head></head><body><p>2</p></body></html>"]).count("audit-print-page")
2
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ConfigError, RunFailed

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_HEAD = re.compile(r"^(.*?<body[^>]*>)", re.S | re.I)


def chromium() -> str | None:
    """The Chromium to print with: ``AUDIT_CHROMIUM``, else the first on the PATH."""
    env = os.environ.get("AUDIT_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require() -> str:
    """The Chromium path, or a ConfigError naming ``--pdf`` (checked before a run starts)."""
    found = chromium()
    if not found:
        raise ConfigError(
            "--pdf",
            None,
            "no Chromium found to print the report",
            "install it (Debian: apt install chromium) or set AUDIT_CHROMIUM to its path",
        )
    return found


def joined(pages: list[str]) -> str:
    """One HTML document: the first page's head, then every page's body, each in a section
    that starts a new printed page."""
    head = _HEAD.match(pages[0])
    start = head.group(1) if head else "<html><body>"
    parts = []
    for page in pages:
        m = _BODY.search(page)
        parts.append(f'<section class="audit-print-page">{m.group(1) if m else page}</section>')
    return start + "\n".join(parts) + "</body></html>"


def write(run: Path, pages: list[str], out: Path, browser: str | None = None) -> Path:
    """Print the run folder's ``pages`` (file names, in order) into ``out``."""
    browser = browser or require()
    docs = [(run / p).read_text(encoding="utf-8") for p in pages if (run / p).is_file()]
    with tempfile.TemporaryDirectory(prefix="audit-pdf-") as tmp:
        doc = Path(tmp) / "report.html"
        doc.write_text(joined(docs), encoding="utf-8")
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={out}",
            doc.as_uri(),
        ]
        p = subprocess.run(cmd, capture_output=True, timeout=300)
    if p.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise RunFailed(f"Chromium could not print {out.name} (exit {p.returncode})")
    return out
