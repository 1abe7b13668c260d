"""The history index: ``DIR/index.html`` lists every completed or failed run, newest first.

Runs are read from their own ``findings.json``; dot folders (runs in progress or killed)
are ignored. The index is rewritten through a temporary file and an atomic rename, so two
runs finishing at once each leave a complete index that lists both.
"""

from __future__ import annotations

import html
import json
import os
import secrets
from pathlib import Path
from typing import Any


def runs(out_dir: Path) -> list[dict[str, Any]]:
    """Every published run under ``out_dir``, newest first."""
    found = []
    for d in out_dir.iterdir() if out_dir.is_dir() else []:
        f = d / "findings.json"
        if d.name.startswith(".") or not f.is_file():
            continue
        try:
            data = json.loads(f.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        found.append({"folder": d.name, **data["run"], "summary": data["summary"]})
    return sorted(found, key=lambda r: (r.get("started_at") or "", r["folder"]), reverse=True)


def previous_run(out_dir: Path, config: str) -> str | None:
    """The folder of the newest completed run of the same config, or None."""
    for r in runs(out_dir):
        if r.get("status") == "completed" and r.get("config") == config:
            return str(r["folder"])
    return None


def trend_png(history: list[dict[str, Any]]) -> str:
    """Failing findings by severity, and accepted findings, across runs, oldest first, as a
    base64 PNG."""
    import base64
    import io

    from matplotlib.figure import Figure

    from .findings import SEVERITIES

    ordered = list(reversed(history))
    fig = Figure(figsize=(8, 3))
    ax = fig.add_subplot(1, 1, 1)
    colors = {
        "critical": "#8B0000",
        "high": "#C44E52",
        "medium": "#DD8452",
        "low": "#CCB974",
        "info": "#8C8C8C",
    }
    xs = list(range(len(ordered)))
    for sev in SEVERITIES:
        ax.plot(
            xs,
            [r["summary"]["by_severity"].get(sev, 0) for r in ordered],
            marker="o",
            label=sev,
            color=colors[sev],
        )
    ax.plot(
        xs,
        [r["summary"].get("by_status", {}).get("accepted", 0) for r in ordered],
        marker="s",
        linestyle="--",
        label="accepted",
        color="#3552a8",
    )
    ax.set_xticks(
        xs, [f"{r['as_of']}\n{(r.get('started_at') or '')[11:16]}" for r in ordered], fontsize=7
    )
    ax.set_ylabel("findings")
    ax.set_title("Failing findings by severity, and accepted findings, run by run", fontsize=10)
    ax.legend(fontsize=7, ncol=6, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return base64.b64encode(buf.getvalue()).decode()


def write_index(out_dir: Path) -> Path:
    """Rewrite ``out_dir/index.html`` from the runs present.

    Writers take turns on a lock file: a run that lists the folders reads them after every
    run published before it, so the last index written lists every run (without the lock,
    an older listing could be written last and drop a run that finished at the same time).
    """
    import fcntl

    with (out_dir / ".index.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _write_index(out_dir)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_index(out_dir: Path) -> Path:
    rows = []
    history = runs(out_dir)
    for r in history:
        s = r["summary"]
        sev = " ".join(f"{k}: {v}" for k, v in s["by_severity"].items() if v) or "none"
        verdict = "failed run" if r.get("status") == "failed" else s["verdict"]
        by_status = s.get("by_status", {})
        rows.append(
            f"<tr><td>{html.escape(r['as_of'])}</td><td>{html.escape(r.get('started_at') or '')}</td>"
            f"<td class='{html.escape(verdict.split()[0])}'>{html.escape(verdict)}</td>"
            f"<td>{html.escape(sev)}</td><td>{by_status.get('accepted', 0)}</td>"
            f"<td>{by_status.get('pass', 0)}</td><td><a href='{html.escape(r['folder'])}/index.html'>"
            f"{html.escape(r['folder'])}</a></td></tr>"
        )
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Privacy audit history</title>"
        "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px}.fail,.failed{color:#8B0000}.pass{color:#1b5e20}"
        ".incomplete{color:#b26a00}</style></head><body><h1>Privacy audit history</h1>"
        + (
            f"<img alt='Failing findings by severity across runs' src='data:image/png;base64,{trend_png(history)}'>"
            if history
            else ""
        )
        + "<table><tr><th>as of</th><th>started (UTC)</th><th>verdict</th><th>failing findings</th>"
        "<th>accepted findings</th><th>passing findings</th><th>report</th></tr>"
        + "".join(rows)
        + "</table></body></html>"
    )
    tmp = out_dir / f".index.{secrets.token_hex(4)}.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out_dir / "index.html")
    return out_dir / "index.html"
