"""matplotlib figures the notebooks show: aggregates only, never one subject's value.

>>> import pandas as pd
>>> fig = bars(pd.Series({10.0: 2, 20.0: 5}), "age", "accounts")
>>> fig.axes[0].get_xlabel()
'age'
"""

from __future__ import annotations

import matplotlib

matplotlib.rcParams["figure.dpi"] = 90
from collections.abc import Mapping  # noqa: E402
from typing import Any  # noqa: E402

from matplotlib.figure import Figure  # noqa: E402

#: Buckets with fewer rows than this are shown together, so no bar stands for one person.
MIN_BAR = 3


def _aligned(series: Mapping[str, object]) -> Any:
    """Labelled count series on one sorted index, missing counts as 0."""
    import pandas as pd

    return pd.DataFrame({k: pd.Series(v) for k, v in series.items()}).fillna(0).sort_index()


def _figure() -> Figure:
    """A figure outside pyplot: shown once, where the notebook displays it."""
    fig = Figure(figsize=(7.5, 3.2))
    fig.add_subplot(1, 1, 1)
    return fig


def bars(
    counts: object,
    xlabel: str,
    ylabel: str,
    *,
    marks: Mapping[str, float] | None = None,
    width: float = 0.9,
    title: str = "",
) -> Figure:
    """A bar chart of counts per bucket, with vertical lines at ``marks`` (label -> x)."""
    import pandas as pd

    s = (
        pd.Series(counts, dtype="float64")
        if not isinstance(counts, pd.Series)
        else counts.astype("float64")
    )
    fig = _figure()
    ax = fig.axes[0]
    if len(s):
        shown = s.where(s >= MIN_BAR, 0)
        ax.bar(s.index.astype("float64"), shown.values, width=width, color="#4C72B0", align="edge")
        if (s < MIN_BAR).any():
            title = (title + " " if title else "") + f"(bars of fewer than {MIN_BAR} rows hidden)"
    for i, (label, x) in enumerate((marks or {}).items()):
        ax.axvline(x, color=("#C44E52", "#DD8452", "#55A868")[i % 3], linestyle="--", label=label)
    if marks:
        ax.legend(loc="upper right", fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def severity_bars(
    by_severity: dict[str, int], title: str = "Failing findings by severity"
) -> Figure:
    """Failing findings per severity, most severe first."""
    fig = _figure()
    ax = fig.axes[0]
    colors = {
        "critical": "#8B0000",
        "high": "#C44E52",
        "medium": "#DD8452",
        "low": "#CCB974",
        "info": "#8C8C8C",
    }
    names = list(by_severity)
    ax.bar(names, [by_severity[n] for n in names], color=[colors.get(n, "#4C72B0") for n in names])
    ax.set_ylabel("findings")
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def hbars(counts: Mapping[str, float], xlabel: str, title: str) -> Figure:
    """Horizontal bars, one per label (labels are datasets, columns or organisations)."""
    fig = Figure(figsize=(7.5, 0.6 + 0.35 * max(len(counts), 1)))
    ax = fig.add_subplot(1, 1, 1)
    labels = list(counts)
    ax.barh(labels, [counts[k] for k in labels], color="#4C72B0")
    if not labels:
        ax.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=ax.transAxes)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def grouped(
    groups: Mapping[str, Mapping[str, float]], xlabel: str, ylabel: str, title: str
) -> Figure:
    """Bars per x label (the inner keys, in order), one colour per group (the outer keys),
    each bar labelled with its count; a logarithmic scale when the counts differ by more
    than a hundredfold (so small groups stay visible).

    >>> fig = grouped({"logs": {"30 days": 4, "60 days": 9}}, "within", "rows", "t")
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['30 days', '60 days']
    """
    fig = _figure()
    ax = fig.axes[0]
    xs = list(dict.fromkeys(x for g in groups.values() for x in g))
    width = 0.8 / max(len(groups), 1)
    shown = [float(v) for g in groups.values() for v in g.values() if float(v) >= MIN_BAR]
    if shown and max(shown) > 100 * min(shown):
        ax.set_yscale("log")
    for n, (name, counts) in enumerate(groups.items()):
        values = [float(counts.get(x, 0)) for x in xs]
        bars = ax.bar(
            [i + n * width for i in range(len(xs))],
            [v if v >= MIN_BAR else 0 for v in values],
            width=width,
            label=name,
        )
        ax.bar_label(
            bars,
            [f"{v:,.0f}" if v >= MIN_BAR else (f"<{MIN_BAR}" if v else "0") for v in values],
            fontsize=7,
        )
    ax.set_xticks([i + width * (len(groups) - 1) / 2 for i in range(len(xs))], xs)
    return _finish_series(fig, bool(groups), xlabel, ylabel, title)


def _finish_series(fig: Figure, legend: bool, xlabel: str, ylabel: str, title: str) -> Figure:
    """Legend (when there are series), axis labels, title and frame of a series chart."""
    ax = fig.axes[0]
    if legend:
        ax.legend(fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def stacked(series: Mapping[str, object], xlabel: str, ylabel: str, title: str) -> Figure:
    """Stacked bars over a shared time index: one layer per labelled series of counts."""

    frame = _aligned(series)
    fig = _figure()
    ax = fig.axes[0]
    bottom = None
    colors = ("#55A868", "#C44E52", "#4C72B0")
    for i, col in enumerate(frame.columns):
        ax.bar(
            frame.index,
            frame[col].values,
            width=25,
            bottom=bottom,
            label=str(col),
            color=colors[i % 3],
        )
        bottom = frame[col].values if bottom is None else bottom + frame[col].values
    return _finish_series(fig, len(frame.columns) > 0, xlabel, ylabel, title)


def heatmap(matrix: Mapping[str, Mapping[str, int]], declared: set[str], title: str) -> Figure:
    """Datasets (rows) by categories (columns): the count of columns holding each category."""
    rows = list(matrix)
    cols = sorted({c for m in matrix.values() for c in m})
    fig = Figure(figsize=(max(6.0, 1.0 + 0.7 * len(cols)), 1.2 + 0.4 * max(len(rows), 1)))
    ax = fig.add_subplot(1, 1, 1)
    data = [[matrix[r].get(c, 0) for c in cols] for r in rows] or [[0]]
    ax.imshow(data, cmap="Blues", aspect="auto", vmin=0)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            if matrix[r].get(c):
                ax.text(j, i, str(matrix[r][c]), ha="center", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_xticks(range(len(cols)), cols, rotation=40, ha="right", fontsize=8)
    for label in ax.get_xticklabels():
        if label.get_text() not in declared:
            label.set_color("#C44E52")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def lines(series: Mapping[str, object], xlabel: str, ylabel: str, title: str) -> Figure:
    """One line per labelled series of counts over a shared ordered index (months)."""

    frame = _aligned(series)
    fig = _figure()
    ax = fig.axes[0]
    for col in frame.columns:
        ax.plot(range(len(frame)), frame[col].values, label=str(col))
    step = max(1, len(frame) // 12)
    ax.set_xticks(
        range(0, len(frame), step),
        [str(i) for i in frame.index[::step]],
        rotation=40,
        ha="right",
        fontsize=7,
    )
    return _finish_series(fig, len(frame.columns) > 0, xlabel, ylabel, title)
