"""Tables written for reading: no index column, every word of every cell (wrapped, never
cut), wide tables scrolling inside their own box, numbers right-aligned with thousands
separators, status and severity as labels that also read in greyscale (a symbol and the
word, not a colour alone).

A :class:`Table` displays itself in a notebook (``_repr_html_``) and so in the HTML report.

>>> t = Table(pd.DataFrame({"status": ["fail"], "violations": [1234]}))
>>> "1,234" in t.html() and 'class="label label-fail"' in t.html() and "<th>" not in t.html()
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

#: the label columns and the symbol each value carries beside its colour
LABELS = {
    "status": {
        "fail": "\u2717",
        "error": "!",
        "pass": "\u2713",
        "skipped": "\u2013",
        "accepted": "\u25cb",
        "manual attestation": "\u270e",
        "not run": "\u2013",
    },
    "severity": {"critical": "\u25b2\u25b2", "high": "\u25b2", "medium": "\u25c6", "low": "\u25bd"},
    "change": {
        "new": "+",
        "worse": "\u2191",
        "accepted": "\u25cb",
        "better": "\u2193",
        "resolved": "\u2713",
    },
}


def label(column: str, value: str) -> str:
    """A value of a label column as a coloured label with its symbol.

    >>> label("severity", "high")
    '<span class="label label-high">▲ high</span>'
    """
    symbol = LABELS.get(column, {}).get(value, "")
    slug = "".join(ch if ch.isalnum() else "-" for ch in value)
    text = f"{symbol} {value}" if symbol else value
    return f'<span class="label label-{slug}">{html.escape(text)}</span>'


def breakable(text: str) -> str:
    """Escaped text that may wrap after dots and underscores (check ids, column names).

    >>> breakable("rights.deletion_not_honoured")
    'rights.<wbr>deletion_<wbr>not_<wbr>honoured'
    """
    return html.escape(text).replace(".", ".<wbr>").replace("_", "_<wbr>")


def number(value: object) -> str:
    """An integer with thousands separators; anything else as text.

    >>> number(1234567), number(""), number(3.5)
    ('1,234,567', '', '3.5')
    """
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    try:  # numpy scalars
        return number(value.item())  # type: ignore[attr-defined]
    except AttributeError:
        return str(value)


@dataclass
class Table:
    """A frame as a readable HTML table. ``table_id`` names it (links, scripts);
    ``sortable`` marks it for the report's sorting and filtering script; ``raw`` columns
    hold HTML the caller built from escaped parts (links)."""

    frame: pd.DataFrame
    table_id: str | None = None
    sortable: bool = False
    raw: tuple[str, ...] = ()
    empty: str = "None."
    filters: tuple[str, ...] = field(default=())

    def _numeric(self) -> set[str]:
        return {
            str(c)
            for c in self.frame.columns
            if pd.api.types.is_integer_dtype(self.frame[c].dtype)
            or pd.api.types.is_float_dtype(self.frame[c].dtype)
        }

    def _long(self) -> set[str]:
        """Text columns of sentences (30 characters on average or more): they get the room
        to wrap into lines a person reads, instead of a column one word wide."""
        out = set()
        for c in self.frame.columns:
            if str(c) in self.raw:
                continue
            lengths = self.frame[c].astype("str").str.len()
            if len(lengths) and float(lengths.mean()) >= 30:
                out.add(str(c))
        return out

    def html(self) -> str:
        if self.frame.empty:
            return f'<p class="audit-empty">{html.escape(self.empty)}</p>'
        numeric = self._numeric()
        long = self._long() - numeric
        cols = [str(c) for c in self.frame.columns]

        def kind(c: str) -> str:
            return "num" if c in numeric else "long" if c in long else "text"

        head = "".join(f'<th scope="col" class="{kind(c)}">{breakable(c)}</th>' for c in cols)
        rows = []
        for rec in self.frame.itertuples(index=False, name=None):
            cells = []
            for c, v in zip(cols, rec, strict=True):
                v = "" if v is None or (isinstance(v, float) and pd.isna(v)) else v
                if c in numeric:
                    cells.append(
                        f'<td class="num" data-sort="{html.escape(str(v))}">{number(v)}</td>'
                    )
                elif c in LABELS and v != "":
                    cells.append(f'<td data-sort="{html.escape(str(v))}">{label(c, str(v))}</td>')
                elif c in self.raw:
                    cells.append(f"<td>{v}</td>")
                elif kind(c) == "text":  # identifiers may break after . and _
                    cells.append(f'<td class="text">{breakable(str(v))}</td>')
                else:
                    cells.append(f'<td class="long">{html.escape(str(v))}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        attrs = ' class="audit-table"'
        if self.table_id:
            attrs += f' id="{html.escape(self.table_id)}"'
        if self.sortable:
            attrs += ' data-sortable="1"'
        if self.filters:
            attrs += f' data-filters="{html.escape(",".join(self.filters))}"'
        return (
            f'<div class="audit-scroll"><table{attrs}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    def _repr_html_(self) -> str:
        return self.html()


def frame_html(frame: pd.DataFrame) -> str:
    """Any frame a notebook displays, as a readable table."""
    return Table(frame).html()


def use_in_notebooks() -> None:
    """Display every DataFrame in the running IPython kernel as a readable :class:`Table`
    (no index column, nothing cut); outside IPython, nothing happens."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebooks
        return
    ip = get_ipython()
    if ip is None:
        return
    ip.display_formatter.formatters["text/html"].for_type(pd.DataFrame, frame_html)
