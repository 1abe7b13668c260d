"""Accepted findings: a reviews file lets a reviewer accept a failing finding for a while.

The config names the file (``reviews: reviews.yml``, relative to the config). It is a YAML
list; each entry names a finding by its stable id (as in ``findings.json``) with a reason,
an owner and the last day the acceptance holds (``until``), and optionally the most
violations it accepts (``max_violations``)::

    - id: "minors.under_minimum_age:users:-"
      reason: "accounts being closed by support, ticket PRIV-12"
      owner: privacy-team@example.org
      until: 2026-12-31
      max_violations: 15

A failing finding an entry covers becomes ``accepted``: left out of the verdict and the
exit code, shown in its own section. It fails again, saying why, once the audit date is
after ``until`` or its violations exceed ``max_violations``. An entry that matches no
finding of the notebooks run, or whose finding passes, is *stale*.

>>> r = Review(id="sharing.sale:disclosures:-", reason="r", owner="o", until=date(2026, 12, 1))
>>> f = Finding.make("sharing.sale", "S", "critical", "disclosures", None, violations=2)
>>> [g.status for g in apply([f], (r,), date(2026, 11, 26))], [g.status for g in apply([f], (r,), date(2026, 12, 2))]
(['accepted'], ['fail'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError
from .findings import Finding
from .nav import notebook_of
from .yamlfile import read as read_yaml


class Review(BaseModel):
    """One entry of the reviews file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    until: date
    max_violations: int | None = Field(default=None, ge=0)

    @field_validator("id", "reason", "owner", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        if not isinstance(v, str):
            raise ValueError("must be text")
        return v.strip()

    @field_validator("until", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        if isinstance(v, str):
            try:
                return date.fromisoformat(v.strip())
            except ValueError:
                raise ValueError(f"cannot read date {v!r}; write it as YYYY-MM-DD") from None
        return v

    def to_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "owner": self.owner,
            "until": self.until.isoformat(),
            "max_violations": self.max_violations,
        }


def load(path: Path) -> tuple[Review, ...]:
    """The entries of a reviews file; ConfigError (exit 2) names the file, the entry (by
    number and id) and the key of the first problem."""
    data = read_yaml(path, "reviews", "check 'reviews:' in the config")
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ConfigError(
            str(path), None, "a reviews file is a YAML list of entries", "see README.md"
        )
    out: list[Review] = []
    seen: dict[str, int] = {}
    for n, entry in enumerate(data, 1):
        where = f"entry {n}"
        if not isinstance(entry, dict):
            raise ConfigError(str(path), where, "an entry is a mapping of keys", "see README.md")
        if isinstance(entry.get("id"), str):
            where += f" ({entry['id'].strip()})"
        try:
            review = Review.model_validate(entry)
        except ValidationError as e:
            first = next((x for x in e.errors() if x["type"] == "extra_forbidden"), e.errors()[0])
            key = ".".join(str(p) for p in first["loc"]) or None
            if first["type"] == "extra_forbidden":
                problem, remedy = (
                    f"unknown key {key!r}",
                    ("use id, reason, owner, until, max_violations"),
                )
            elif first["type"] == "missing":
                problem, remedy = f"key {key!r} is missing", "add it"
            else:
                problem = f"{key}: " + first["msg"].removeprefix("Value error, ")
                remedy = "fix this value"
            raise ConfigError(str(path), where, problem, remedy) from None
        if review.id in seen:
            raise ConfigError(
                str(path),
                where,
                f"id repeats entry {seen[review.id]}",
                "keep one entry per finding",
            )
        seen[review.id] = n
        out.append(review)
    return tuple(out)


def judge(finding: Finding, review: Review, as_of: date) -> Finding:
    """A failing finding under its review: ``accepted``, or still ``fail`` with why the
    acceptance lapsed (the audit date is after ``until``, or too many violations).

    >>> r = Review(id="x", reason="r", owner="o", until=date(2026, 12, 1), max_violations=1)
    >>> f = Finding.make("sharing.sale", "S", "critical", "d", None, violations=2)
    >>> judge(f, r, date(2026, 11, 26)).review["why"]
    'violations 2 exceed the accepted 1'
    """
    why = (
        f"accepted until {review.until}, which has passed"
        if as_of > review.until
        else f"violations {finding.violations:,} exceed the accepted {review.max_violations:,}"
        if review.max_violations is not None and finding.violations > review.max_violations
        else ""
    )
    state = {**review.to_json(), "state": "lapsed" if why else "accepted", "why": why}
    if why:
        return replace(
            finding, review=state, message=f"{finding.message}; acceptance lapsed: {why}"
        )
    return replace(finding, status="accepted", review=state)


def apply(findings: Iterable[Finding], reviews: Sequence[Review], as_of: date) -> list[Finding]:
    """Findings with the reviews applied: failing findings an entry covers are judged
    (:func:`judge`); every other finding is left as it is."""
    by_id = {r.id: r for r in reviews}
    return [
        judge(f, by_id[f.id], as_of) if f.status == "fail" and f.id in by_id else f
        for f in findings
    ]


def stale(
    reviews: Sequence[Review], findings: Sequence[Finding], notebooks: Sequence[str]
) -> list[dict[str, str]]:
    """Entries that cover nothing: no finding of the notebooks run has their id, or their
    finding passes. Entries for notebooks that did not run are not judged.

    >>> r = Review(id="sharing.sale:disclosures:-", reason="r", owner="o", until=date(2026, 12, 1))
    >>> stale([r], [], ["rights_sharing_cookies"])[0]["why"]
    'no finding has this id in this run'
    >>> stale([r], [], ["minors"])
    []
    """
    by_id = {f.id: f for f in findings}
    out = []
    for r in reviews:
        f = by_id.get(r.id)
        area = notebook_of(r.id.split(":", 1)[0])
        if f is None and area and area not in notebooks:
            continue  # its notebook did not run: nothing to say
        why = (
            "no finding has this id in this run"
            if f is None
            else "the finding passes: the acceptance is no longer needed"
            if f.status == "pass"
            else ""
        )
        if why:
            out.append({"id": r.id, "owner": r.owner, "until": r.until.isoformat(), "why": why})
    return out
