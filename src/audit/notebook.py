"""What the notebooks call: open the audit, run a notebook's checks, show tables and charts.

Notebooks hold parameters, narrative and calls into this module, no logic of their own.

In a notebook: ``audit = open_audit(config, as_of=as_of, out_dir=out_dir)``, then
``findings = audit.run_checks("minors")`` and ``audit.table(findings)``.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from . import charts, handoff  # noqa: E402
from .checks import run_notebook  # noqa: E402
from .checks.base import Context  # noqa: E402
from .checks.minors import relation as minors_relation  # noqa: E402
from .checks.retention import LOG_KINDS, anchor_relation, cutoff_for  # noqa: E402
from .config import AuditConfig, load_config  # noqa: E402
from .findings import Finding, sort_key, write_part  # noqa: E402
from .memory import keep_freed  # noqa: E402
from .report import (  # noqa: E402
    examples_frame,
    findings_frame,
    forecast_frame,
    remediation_html,
)
from .reviews import apply as apply_reviews  # noqa: E402
from .timeutil import epoch  # noqa: E402


def quiet() -> None:
    """Keep library warnings and progress chatter out of notebook outputs and reports; show
    tables whole and readable (:func:`audit.tables.use_in_notebooks`)."""
    from .tables import use_in_notebooks

    use_in_notebooks()
    warnings.filterwarnings("ignore")
    for name in ("great_expectations", "py4j", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.ERROR)


#: the audit opened for a run folder, kept for the run's next notebooks in this kernel
_RUN: dict[tuple[str, str | None, str], tuple[AuditConfig, Context]] = {}


def _opened(config: str | Path, as_of: str | None, out: Path | None) -> tuple[AuditConfig, Context]:
    """The config and the opened audit. Within a run (a run folder given), the notebooks of
    the run that follow each other in one kernel share it: each dataset's columns are read
    once (within the cache budget, :func:`audit.limits.cache_budget`) and each profile is
    computed once; the runner's reading and profiles are taken over where it handed them
    (:mod:`audit.handoff`). By hand (no run folder), every call opens the data afresh."""
    if out is None:
        cfg = load_config(config, as_of)
        return cfg, Context.open(cfg, None)
    key = (str(Path(config).resolve()), as_of, str(out.resolve()))
    if key not in _RUN:
        _RUN.clear()  # a kernel serves one run: the previous run's data goes
        cfg = load_config(config, as_of)
        ctx = Context.open(cfg, out / "validations")
        ctx.handoff = handoff.Handoff.find(out)  # the runner's reading and profiles, if any
        _RUN[key] = (cfg, ctx)
    return _RUN[key]


class NotebookAudit:
    """A configured audit as one notebook sees it; ``out_dir`` None means explore only."""

    def __init__(
        self, config: str | Path, as_of: str | None = None, out_dir: str | Path | None = None
    ) -> None:
        quiet()
        self.out = Path(out_dir) if out_dir else None
        self.cfg, self.ctx = _opened(config, as_of, self.out)
        self.findings: list[Finding] = []

    def run_checks(self, notebook: str) -> list[Finding]:
        """Run the notebook's checks, with the config's reviews applied (accepted findings);
        with a run folder, keep its findings for the report."""
        found = sorted(
            apply_reviews(run_notebook(self.ctx, notebook), self.cfg.reviews, self.cfg.as_of),
            key=sort_key,
        )
        self.findings.extend(found)
        if self.out is not None:
            write_part(self.out / "parts" / f"{notebook}.json", found)
        return found

    # ---------------------------------------------------------------- tables

    @staticmethod
    def table(findings: list[Finding]) -> pd.DataFrame:
        """Findings as a table (no raw values: messages and counts only)."""
        return findings_frame(findings)

    @staticmethod
    def examples(findings: list[Finding]) -> pd.DataFrame:
        """The masked examples of failing findings."""
        return examples_frame(findings)

    @staticmethod
    def remediation(findings: list[Finding]) -> Any:
        """The statements that select and fix the rows of failing findings on databases."""
        from IPython.display import HTML

        return HTML(remediation_html(findings))

    @staticmethod
    def forecast_table(findings: list[Finding]) -> pd.DataFrame:
        """Per retention rule and dataset: rows past the cutoff today, and those that pass it
        within 30, 60 and 90 days."""
        return forecast_frame(findings)

    @staticmethod
    def forecast_chart(findings: list[Finding]) -> Any:
        """The forecast as bars: rows passing their cutoff within each horizon, per dataset."""
        return charts.grouped(
            {
                f"{f.dataset} ({f.check.split('.', 1)[1]})": {
                    f"within {h['days']} days": h["rows"] for h in f.forecast or []
                }
                for f in findings
                if f.forecast
            },
            "from the audit date",
            "rows passing their cutoff",
            "Retention forecast: rows that pass their cutoff soon",
        )

    def config_table(self) -> pd.DataFrame:
        """The datasets this audit reads: kind, engine, mapped roles."""
        return pd.DataFrame(
            [
                {
                    "dataset": n,
                    "kind": d.spec.kind,
                    "engine": d.engine,
                    "source": d.spec.source,
                    "roles": ", ".join(f"{k}={v}" for k, v in d.spec.roles.items()),
                }
                for n, d in self.ctx.opened.items()
            ]
        )

    # ---------------------------------------------------------------- charts

    def age_charts(self) -> list[Any]:
        """Per accounts dataset: ages today, and ages at sign-up, against the policy's ages."""
        figs = []
        p = self.cfg.policy
        for ds in self.ctx.of_kind("accounts"):
            if not (ds.role("date_of_birth") or ds.role("age")):
                continue
            rel = minors_relation(self.ctx, ds)
            marks = {
                f"minimum age {p.minimum_age.value}": p.minimum_age.value,
                f"minor under {p.minor_age.value}": p.minor_age.value,
            }
            # both charts' counts in one evaluation of the relation
            now, signup = self.ctx.joint_bucket_counts(
                ds, rel, [("_age_now", 5), ("_age_signup", 1)]
            )
            figs.append(
                charts.bars(
                    now,
                    "age today (5-year bins)",
                    "accounts",
                    marks=marks,
                    width=4.5,
                    title=f"{ds.name}: age distribution",
                )
            )
            figs.append(
                charts.bars(
                    signup,
                    "age at sign-up",
                    "accounts",
                    marks=marks,
                    title=f"{ds.name}: age at sign-up",
                )
            )
        return figs

    def record_age_charts(self) -> list[Any]:
        """Per log dataset: record age in 30-day bins against the retention cutoff."""
        figs = []
        now = epoch(pd.Timestamp(self.cfg.as_of).to_pydatetime())
        for kind in LOG_KINDS:
            rule = self.cfg.policy.retention.get(kind)
            if rule is None:
                continue
            for ds in self.ctx.of_kind(kind):
                anchor = ds.role(rule.from_)
                if anchor is None:
                    continue
                counts = self.ctx.bucket_counts(
                    ds, anchor_relation(ds, anchor), "_anchor", 30 * 86400
                )
                ages = pd.Series(
                    counts.values, index=(now - counts.index.to_numpy(dtype="float64")) / 86400 - 30
                )
                limit = (now - epoch(cutoff_for(self.ctx, kind))) / 86400
                figs.append(
                    charts.bars(
                        ages.sort_index(),
                        f"age of {rule.from_} in days (30-day bins)",
                        "rows",
                        marks={f"cutoff ({rule.period})": limit},
                        width=27,
                        title=f"{ds.name}: record age against retention",
                    )
                )
        return figs

    # ---------------------------------------------------------------- inventory

    def inventory(self) -> Any:
        """The inventory of every dataset and of what no dataset maps; written to the run folder."""
        from .checks.inventory import inventory

        inv = inventory(self.ctx)
        if self.out is not None:
            inv.write(self.out)
        return inv

    def inventory_table(self) -> pd.DataFrame:
        """Datasets and columns holding personal data: category, fideslang, confidence, declared, role."""
        frame = self.inventory().frame()
        return frame[frame["category"].notna()].reset_index(drop=True)

    def profile_table(self) -> pd.DataFrame:
        """Per dataset: rows, columns, personal-data columns; no value is shown."""
        inv = self.inventory()
        rows = []
        for name in dict.fromkeys(e.dataset for e in inv.entries):
            es = inv.of(name)
            rows.append(
                {
                    "dataset": name,
                    "mapped": es[0].mapped,
                    "rows": es[0].rows,
                    "columns": len(es),
                    "personal columns": sum(e.category is not None for e in es),
                    "categories": ", ".join(sorted({e.category for e in es if e.category})),
                }
            )
        return pd.DataFrame(rows)

    def time_span_table(self) -> pd.DataFrame:
        """Per time column: first and last month and rows with a time (UTC months)."""
        from .inventory import time_spans

        return time_spans(self.ctx)

    def records_per_month_charts(self) -> list[Any]:
        """Per dataset: rows per month of each time column (aggregates)."""
        from .inventory import months_of, time_columns

        figs = []
        for ds in self.ctx.opened.values():
            cols = time_columns(ds)
            if cols:
                series = {c: months_of(self.ctx, ds, c) for c in cols}
                figs.append(charts.lines(series, "month", "rows", f"{ds.name}: records per month"))
        return figs

    def column_profile_table(self) -> pd.DataFrame:
        """Per column: null and distinct shares and value-length range (no values)."""
        cols = [
            "dataset",
            "column",
            "category",
            "null_share",
            "distinct_share",
            "length_min",
            "length_max",
        ]
        return pd.DataFrame(
            [{c: getattr(e, c) for c in cols} for e in self.inventory().entries], columns=cols
        )

    def inventory_charts(self) -> list[Any]:
        """Categories per dataset, and the data-flow map of which dataset holds which category."""
        inv = self.inventory()
        matrix: dict[str, dict[str, int]] = {}
        for e in inv.entries:
            if e.category:
                matrix.setdefault(e.dataset, {}).setdefault(e.category, 0)
                matrix[e.dataset][e.category] += 1
        declared = set(self.cfg.policy.declared_categories)
        return [
            charts.hbars(
                {d: sum(c.values()) for d, c in matrix.items()},
                "personal-data columns",
                "Personal-data columns per dataset",
            ),
            charts.heatmap(
                matrix,
                declared,
                "Which dataset holds which category (undeclared categories in red)",
            ),
        ]

    def _elapsed_chart(
        self,
        ds: Any,
        rel: Any,
        column: str,
        unit: float,
        bins: int,
        labels: tuple[str, str, str, str],
        limit: float,
    ) -> Any:
        """Rows per ``bins``-unit bucket of an elapsed-time column (``unit`` seconds each),
        with the policy's limit marked; ``labels`` are (x label, y label, title, limit label)."""
        counts = self.ctx.bucket_counts(ds, rel, column, bins * unit)
        elapsed = pd.Series(counts.values, index=counts.index.to_numpy(dtype="float64") / unit)
        xlabel, ylabel, title, mark = labels
        return charts.bars(
            elapsed,
            xlabel,
            ylabel,
            marks={mark: limit},
            width=bins * 0.9,
            title=title,
        )

    def compromise_delay_charts(self) -> list[Any]:
        """Per api_keys dataset: hours from compromise to revocation, against the limit."""
        from .checks.credentials import compromised_relation

        limit = self.cfg.policy.credentials.revoke_within_hours
        return [
            self._elapsed_chart(
                ds,
                compromised_relation(ds, c, ds.role("revoked_at"), self._as_of_epoch),
                "_delay",
                3600,
                6,
                (
                    "hours from compromise to revocation (6-hour bins; open keys: to the audit date)",
                    "keys",
                    f"{ds.name}: revocation delay of compromised keys",
                    f"limit {limit} h",
                ),
                limit,
            )
            for ds in self.ctx.of_kind("api_keys")
            if (c := ds.role("compromised_at")) is not None
        ]

    def findings_by_column_chart(self, findings: list[Finding]) -> Any:
        """Violations per dataset column of the failing column scans."""
        counts = {
            f"{f.dataset}.{f.column}": f.violations
            for f in findings
            if f.status == "fail" and f.column
        }
        return charts.hbars(
            counts, "values found", "Where card numbers, codes and secrets were found"
        )

    def turnaround_charts(self) -> list[Any]:
        """Per rights_requests dataset: days from receipt to answer, against the deadline."""
        from .checks.rights import turnaround_relation

        days = self.cfg.policy.rights.response_days
        return [
            self._elapsed_chart(
                ds,
                turnaround_relation(ds, r, ds.role("completed_at"), self._as_of_epoch),
                "_turnaround",
                86400,
                3,
                (
                    "days to answer (3-day bins; open requests: to the audit date)",
                    "requests",
                    f"{ds.name}: request turnaround",
                    f"deadline {days} days",
                ),
                days,
            )
            for ds in self.ctx.of_kind("rights_requests")
            if (r := ds.role("received_at")) is not None
        ]

    def recipient_charts(self) -> list[Any]:
        """Per disclosures dataset: disclosures by recipient (organisations, not people)."""
        from .checks.sharing import folded_relation

        figs = []
        for ds in self.ctx.of_kind("disclosures"):
            r = ds.role("recipient")
            if r is None:
                continue
            counts = self.ctx.bucket_counts(
                ds, folded_relation(ds, {"recipient": r}), "_recipient", None
            )
            figs.append(
                charts.hbars(dict(counts), "disclosures", f"{ds.name}: disclosures by recipient")
            )
        return figs

    def consent_coverage_charts(self) -> list[Any]:
        """Per cookie_events dataset: consent-required events per month, with and without consent."""
        from .checks import cookies

        figs = []
        for ds in self.ctx.of_kind("cookie_events"):
            planned = cookies.plan(self.ctx, ds)
            if planned is None:
                continue
            # counted beside the check where it ran in this kernel (:func:`cookies.coverage`)
            split = cookies.coverage(self.ctx, ds, *planned)
            series = {
                label: split.get(value, pd.Series([], dtype="int64"))
                for label, value in (("with consent", 1.0), ("without consent", 0.0))
            }
            dated = {
                k: pd.Series(
                    v.values, index=pd.to_datetime(v.index.to_numpy(dtype="float64"), unit="s")
                )
                for k, v in series.items()
            }
            figs.append(
                charts.stacked(
                    dated,
                    "month",
                    "events",
                    f"{ds.name}: consent coverage of consent-required cookie events",
                )
            )
        return figs

    @property
    def _as_of_epoch(self) -> float:
        return epoch(pd.Timestamp(self.cfg.as_of).to_pydatetime())


def open_audit(
    config: str | Path, as_of: str | None = None, out_dir: str | Path | None = None
) -> NotebookAudit:
    """The notebooks' entry point."""
    keep_freed()
    return NotebookAudit(config, as_of, out_dir)
