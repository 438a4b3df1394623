"""The report's charts: Altair (Vega-Lite) specifications rendered to SVG offline with
vl-convert (no network, no JavaScript in the page)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

__all__ = ["VERDICT_COLORS", "bars", "heat", "stacked_share", "svg", "timeline"]

VERDICT_ORDER = [
    "preferred",
    "other",
    "certain_circumstances",
    "not_assessable",
    "not_in_plan",
    "not_recommended",
]
VERDICT_COLORS = ["#1b7837", "#7fbf7b", "#d9f0d3", "#bdbdbd", "#f4a582", "#b2182b"]


def _alt() -> Any:
    import altair as alt  # noqa: PLC0415

    return alt


def svg(chart: Any) -> str:
    """The chart as an inline SVG string."""
    import vl_convert as vlc  # noqa: PLC0415

    return str(vlc.vegalite_to_svg(chart.to_dict()))


def _verdict_color() -> Any:
    alt = _alt()
    return alt.Color(
        "verdict:N",
        title="verdict",
        scale=alt.Scale(domain=VERDICT_ORDER, range=VERDICT_COLORS),
        sort=VERDICT_ORDER,
    )


def stacked_share(df: pl.DataFrame, by: str, title: str, *, by_title: str) -> Any:
    """Share of each verdict per value of ``by`` (df: by, verdict, n)."""
    alt = _alt()
    return (
        alt.Chart(alt.Data(values=df.to_dicts()))
        .mark_bar()
        .encode(
            y=alt.Y(f"{by}:N", title=by_title),
            x=alt.X("n:Q", stack="normalize", title="share of lines", axis=alt.Axis(format="%")),
            color=_verdict_color(),
            order=alt.Order("order:Q"),
            tooltip=[f"{by}:N", "verdict:N", "n:Q"],
        )
        .properties(title=title, width=520, height=max(60, 28 * df[by].n_unique()))
    )


def bars(
    df: pl.DataFrame, label: str, value: str, title: str, *, color: str | None = None, x_title: str = "lines"
) -> Any:
    """Horizontal bars, largest first."""
    alt = _alt()
    enc: dict[str, Any] = {
        "y": alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360)),
        "x": alt.X(f"{value}:Q", title=x_title),
        "tooltip": [f"{label}:N", f"{value}:Q"],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N")
    return (
        alt.Chart(alt.Data(values=df.to_dicts()))
        .mark_bar()
        .encode(**enc)
        .properties(title=title, width=420, height=max(60, 20 * df.height))
    )


def heat(df: pl.DataFrame, title: str) -> Any:
    """Transitions between consecutive lines (df: from, to, n)."""
    alt = _alt()
    base = alt.Chart(alt.Data(values=df.to_dicts())).encode(
        y=alt.Y("from:N", title="previous line", axis=alt.Axis(labelLimit=280)),
        x=alt.X("to:N", title="next line", axis=alt.Axis(labelAngle=-40, labelLimit=220)),
    )
    return (
        base.mark_rect().encode(
            color=alt.Color("n:Q", title="patients", scale=alt.Scale(scheme="blues")),
            tooltip=["from:N", "to:N", "n:Q"],
        )
        + base.mark_text(fontSize=10).encode(text="n:Q")
    ).properties(title=title)


def timeline(df: pl.DataFrame, title: str) -> Any:
    """Each patient's lines as bars from start to end (df: patient, line, start, end, verdict, drugs)."""
    alt = _alt()
    return (
        alt.Chart(alt.Data(values=df.to_dicts()))
        .mark_bar(height=10)
        .encode(
            y=alt.Y("patient:N", title=None, sort=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X("start:T", title="date"),
            x2="end:T",
            color=_verdict_color(),
            tooltip=["patient:N", "line:Q", "drugs:N", "verdict:N", "start:T", "end:T"],
        )
        .properties(title=title, width=620, height=max(60, 14 * df["patient"].n_unique()))
    )
