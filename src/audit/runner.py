"""Running an audit: papermill execution, nbconvert rendering, the atomic run folder, history.

A run is written to ``DIR/.<run-id>.tmp`` and renamed to ``DIR/<run-id>`` when done, so a
killed run leaves only a dot folder, which the history ignores.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__, handoff
from .config import AuditConfig
from .errors import RunFailed
from .findings import read_parts, summarize
from .kernels import ENGINE, KERNEL, Kernels, start_kernels
from .manifest import seal
from .nav import NOTEBOOKS, SEAL, header
from .ocsf import write as write_ocsf
from .pdf import write as write_pdf
from .reviews import stale
from .scope import describe
from .sources import Opened

NOTEBOOK_DIR = Path(__file__).resolve().parent / "notebooks"
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: runs after the notebooks (:data:`audit.nav.NOTEBOOKS`) and becomes index.html
SUMMARY = "summary"

Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def new_run_id(as_of: str, now: datetime | None = None) -> str:
    """``<as_of>_<UTC start YYYYMMDDTHHMMSS>_<4 random hex>``.

    >>> new_run_id("2026-11-26", datetime(2026, 11, 26, 18, 0, tzinfo=UTC))[:-4]
    '2026-11-26_20261126T180000_'
    """
    now = now or datetime.now(UTC)
    return f"{as_of}_{now.strftime('%Y%m%dT%H%M%S')}_{secrets.token_hex(2)}"


def notebook_path(name: str) -> Path:
    return NOTEBOOK_DIR / f"{name}.ipynb"


def execute(
    name: str, out: Path, params: dict[str, Any], kernel: tuple[Any, Any] | None = None
) -> None:
    """Execute one notebook with papermill into ``out/<name>.ipynb``: in ``kernel`` (a warm
    kernel and this thread's client of it, :meth:`audit.kernels.Kernels.kernel`), or in a
    new kernel when None."""
    import papermill as pm

    warm = {} if kernel is None else {"engine_name": ENGINE, "km": kernel[0], "kc": kernel[1]}
    pm.execute_notebook(
        str(notebook_path(name)),
        str(out / f"{name}.ipynb"),
        parameters=params,
        kernel_name=KERNEL,
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        **warm,
    )


def scrub(ipynb: Path) -> None:
    """Keep only safe outputs in an executed notebook: no stderr stream (library logs), and
    errors by exception type alone (messages and tracebacks may quote data)."""
    import nbformat

    nb = nbformat.read(ipynb, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                continue
            if o.get("output_type") == "error":
                o["evalue"] = "(message withheld: it may quote data; re-run with --debug)"
                o["traceback"] = [str(o.get("ename", "Error"))]
            kept.append(o)
        cell.outputs = kept
    nbformat.write(nb, ipynb)


def render(ipynb: Path, html_path: Path, banner: str | None = None, nav: str | None = None) -> None:
    """An executed notebook as self-contained HTML: no code, no stderr, nothing fetched;
    ``nav``: the run's header (:func:`audit.nav.header`)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(ipynb, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                and o.get("output_type") != "error"
            ]
    if banner:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(banner))
    exporter = HTMLExporter(template_name="audit", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb, resources={"audit_nav": nav or ""})
    html_path.write_text(body, encoding="utf-8")


def _finish(ipynb: Path, html_path: Path, ok: bool, nav: str | None = None) -> None:
    """Scrub an executed notebook, and render it when it ran to the end."""
    if ipynb.is_file():
        scrub(ipynb)
        if ok:
            render(ipynb, html_path, nav=nav)


@dataclass
class RunResult:
    folder: Path
    status: str
    findings: list[Any]
    summary: dict[str, Any]


def run_audit(
    cfg: AuditConfig,
    out_dir: Path,
    only: list[str] | None = None,
    log: Log = _stderr,
    workers: int = 1,
    pdf: bool = False,
    kernels: Kernels | None = None,
    opened: dict[str, Opened] | None = None,
) -> RunResult:
    """Run the notebooks, render them (``pdf``: and print them into ``report.pdf``), seal
    the folder with ``manifest.sha256`` and publish it; RunFailed after publishing a failed
    run (exit 3). ``opened``: the datasets as the caller's preflight opened them (else the
    runner's share of the reading opens them again).

    The notebooks run in ``kernels`` (:func:`start_kernels`; ``workers`` new ones when None,
    shut down at the end), each rendered while the next one runs."""
    started = datetime.now(UTC)
    out_dir = out_dir.resolve()  # papermill must not see relative paths; cwd stays put
    run_id = new_run_id(cfg.as_of.isoformat(), started)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / f".{run_id}.tmp"
    tmp.mkdir()
    names = [n for n in NOTEBOOKS if not only or n in only]
    scope = describe(cfg)
    policy_version = f"{scope['policy']['name']} ({scope['policy']['sha256'][:12]})"
    params = {
        "config": str(cfg.path),
        "as_of": cfg.as_of.isoformat(),
        "out_dir": str(tmp),
        "sample_size": cfg.sample_size,
    }
    own = kernels is None
    running = kernels if kernels is not None else start_kernels(cfg, workers, len(names))
    try:
        return _run(
            _Plan(cfg, out_dir, tmp, run_id, started, names, scope, policy_version, params, opened),
            running,
            log,
            pdf,
        )
    finally:
        if own:
            running.close()


@dataclass(frozen=True)
class _Plan:
    """What a run was set up with: the config, its folders and id, its notebooks, the
    scope and policy version it records, and the notebooks' parameters."""

    cfg: AuditConfig
    out_dir: Path
    tmp: Path
    run_id: str
    started: datetime
    names: list[str]
    scope: dict[str, Any]
    policy_version: str
    params: dict[str, Any]
    opened: dict[str, Opened] | None = None

    def nav(self, page: str) -> str:
        """The header of page ``page`` (:func:`audit.nav.header`)."""
        head = {
            "id": self.run_id,
            "as_of": self.cfg.as_of.isoformat(),
            "policy_version": self.policy_version,
        }
        return header(head, self.names, page)


def _run(plan: _Plan, kernels: Kernels, log: Log, pdf: bool) -> RunResult:
    """The notebooks in ``kernels``, then findings.json, the summary, the PDF, the seal."""
    cfg, out_dir, tmp, run_id, started = (
        plan.cfg,
        plan.out_dir,
        plan.tmp,
        plan.run_id,
        plan.started,
    )
    names, scope, policy_version, params, nav = (
        plan.names,
        plan.scope,
        plan.policy_version,
        plan.params,
        plan.nav,
    )
    failures: dict[str, str] = {}
    rendering = ThreadPoolExecutor(max_workers=1)  # in this process, beside the kernels

    def one(km: Any, kc: Any, name: str) -> None:
        t0 = time.monotonic()
        log(f"audit: notebook {name}: running")
        try:
            execute(name, tmp, params, (km, kc))
            log(f"audit: notebook {name}: done in {time.monotonic() - t0:.1f}s")
        except Exception as e:  # papermill re-raises the cell's exception
            failures[name] = _failure_reason(e)
            log(f"audit: notebook {name}: FAILED ({failures[name]})")
        rendering.submit(
            _finish, tmp / f"{name}.ipynb", tmp / f"{name}.html", name not in failures, nav(name)
        )

    # the runner reads and profiles the datasets while the kernels warm up, and hands each
    # over when done; the kernels take on what it has not reached
    share = handoff.start(cfg, tmp, log, plan.opened)
    rendering.submit(_preload, share)
    finished = False
    try:
        kernels.map(one, names)
        finished = True
    finally:
        rendering.shutdown(wait=True)
        if share is not None:
            share.close(wait=finished)
    checks_finished = datetime.now(UTC).isoformat(timespec="seconds")
    findings = read_parts(tmp / "parts")
    status = "failed" if failures else "completed"
    summary = summarize(findings)
    run: dict[str, Any] = {
        "id": run_id,
        "status": status,
        "as_of": cfg.as_of.isoformat(),
        "config": str(cfg.path),
        "policy": str(cfg.policy_path),
        "policy_version": policy_version,
        "scope": scope,
        "started_at": started.isoformat(timespec="seconds"),
        "checks_finished_at": checks_finished,
        "finished_at": None,
        "version": __version__,
        "notebooks": names,
    }
    from .history import previous_run

    run["previous"] = previous_run(out_dir, str(cfg.path))
    if cfg.reviews_path is not None:  # accepted findings were judged in the notebooks
        run["stale_reviews"] = stale(cfg.reviews, findings, names)
    if failures:
        run["failures"] = failures
        summary["verdict"] = "incomplete"
    doc = {"run": run, "summary": summary, "findings": [f.to_json() for f in findings]}
    (tmp / "findings.json").write_text(json.dumps(doc, indent=1))
    if not failures:
        log("audit: notebook summary: running")
        try:
            with kernels.kernel() as kernel:
                execute(SUMMARY, tmp, params, kernel)
        except Exception as e:
            failures[SUMMARY] = _failure_reason(e)
            status = run["status"] = "failed"
            run["failures"] = failures
    run["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    (tmp / "findings.json").write_text(json.dumps(doc, indent=1))
    write_ocsf(tmp, doc)
    _finish(tmp / f"{SUMMARY}.ipynb", tmp / "index.html", SUMMARY not in failures, nav("index"))
    if failures:
        _failed_index(tmp, failures, names, nav("index"))
    if pdf:
        log("audit: report.pdf: printing")
        pages = ["index.html"] + [f"{n}.html" for n in names]
        write_pdf(tmp, pages, tmp / "report.pdf")
    evidence = seal(tmp, lambda h: _show_seal(tmp / "index.html", h))
    log(f"audit: manifest.sha256 written; evidence hash {evidence}")
    final = out_dir / run_id
    os.replace(tmp, final)
    from .history import write_index

    write_index(out_dir)
    result = RunResult(final, status, findings, summary)
    if failures:
        raise RunFailed(f"run failed in notebook {', '.join(failures)}; see {final / 'index.html'}")
    return result


def _preload(after: handoff.Share | None) -> None:
    """Import what this process renders with (the pages, the history's chart) before it is
    needed, at the end of the run it would be on the way; ``after`` the runner's share,
    which it would slow down."""
    if after is not None:
        after.thread.join()
    import matplotlib.figure  # noqa: F401
    import nbconvert  # noqa: F401


def _show_seal(index: Path, evidence: str) -> None:
    """Write the evidence hash into the summary page's header."""
    import html

    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace(html.escape(SEAL), evidence, 1), encoding="utf-8")


def _failure_reason(e: BaseException) -> str:
    """Why a notebook failed, without the exception's text (it may quote data)."""
    ename = getattr(e, "ename", None) or type(e).__name__
    return f"{ename} raised in a notebook cell" if getattr(e, "ename", None) else f"{ename}"


def _failed_index(folder: Path, failures: dict[str, str], names: list[str], nav: str) -> None:
    import html

    items = "".join(
        f"<li><b>{html.escape(n)}</b>: {html.escape(r)}</li>" for n, r in failures.items()
    )
    links = "".join(
        f'<li><a href="{n}.html">{n}</a></li>' for n in names if (folder / f"{n}.html").is_file()
    )
    (folder / "index.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Audit run FAILED</title>"
        "<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}"
        ".banner{padding:1em;border-left:6px solid #8B0000;background:#fbeaea}"
        ".audit-nav a{margin-right:1em}</style></head><body>"
        + nav
        + "<div class='banner'><h1>This audit run FAILED</h1><p>The report is incomplete: do not read "
        "it as a result. These notebooks did not finish:</p><ul>" + items + "</ul>"
        "<p>Re-run with <code>audit run --debug</code> to see the error.</p></div>"
        + (f"<h2>Notebooks that finished</h2><ul>{links}</ul>" if links else "")
        + "</body></html>",
        encoding="utf-8",
    )
