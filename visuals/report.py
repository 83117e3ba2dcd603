"""One self-contained HTML report: JavaScript and data inline, so it opens offline in any browser."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from visuals.charts import render_options

if TYPE_CHECKING:
    import altair as alt
else:
    from visuals.lazy import altair as alt


@dataclass
class Section:
    title: str
    text: str = ""
    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    #: paragraphs that open the section, before its text (not muted as notes are): what a council reads first
    lead: list[str] = field(default_factory=list)
    #: the chart's file name without extension, after what it shows (pool-map, end-states, ...)
    file: str = "chart"
    #: printed from the top of a new page: the report's main parts, so a printed copy reads by part
    new_page: bool = False
    #: the table folded under this summary line (HTML <details>): long reference tables that would
    #: fill screens between the reader and the rest; opened by a click, and opened for printing
    folded: str = ""


@cache
def vega_javascript() -> str:
    """Vega, Vega-Lite and Vega-Embed in one bundle (vl-convert ships it; no network needed)."""
    import vl_convert

    return str(vl_convert.javascript_bundle())  # type: ignore[call-arg]  # the stub misses the default snippet


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } .muted { color: #666; font-size: 0.85rem; } .chart { margin: 1rem 0; }
details > summary { cursor: pointer; margin: 0.5rem 0; }
/* a chart's controls (the map's domain and zoom) above it, where the reader looks first */
.chart.vega-embed { display: flex; flex-direction: column; } .chart .vega-bindings { order: -1; margin-bottom: 0.5rem; }
.chart .vega-bind { display: inline-block; margin-right: 1.5rem; } .chart .vega-bind select { font-size: 1rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { margin-top: 1.2rem; break-after: avoid; }
  h2.new-page { break-before: page; }
  /* a row, a chart or a short table is never cut in two; a long table breaks between rows and
     repeats its header on every page */
  tr, .chart, table.short, p { break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8pt; width: 100%; }
  /* charts are drawn for a wide screen: the SVG keeps its proportions at the page's width */
  .chart svg, .chart canvas { max-width: 100%; height: auto; }
  /* a folded table prints whole (Chromium; beforeprint opens it in other browsers), under its
     summary line as a caption, and small: it is the reference at the back (Kempen's 186 figures
     take 6 pages so, 11 at the body's size) */
  details::details-content { content-visibility: visible; display: contents; }
  details table { font-size: 7pt; line-height: 1.15; }
  details th, details td { padding: 0 3px; }
  details > summary { list-style: none; cursor: auto; font-style: italic; }
  details > summary::-webkit-details-marker { display: none; }
  /* nothing to click on paper */
  .vega-bindings, .vega-actions, button, input, select, .screen-only, #render-errors:empty { display: none; }
}
"""

#: a chart with the signals zoom, pan_x and pan_y (the map, visuals.maps) zooms with the wheel and
#: pans by dragging; its zoom slider works without this, wherever the chart is embedded
PAN_AND_ZOOM = """
function panAndZoom(result) {
  const view = result.view, element = view.container();
  try { ['zoom', 'pan_x', 'pan_y'].forEach((name) => view.signal(name)); } catch (missing) { return; }
  const MIN = 1, MAX = 12;
  const set = (zoom, x, y) => view.signal('zoom', zoom).signal('pan_x', x).signal('pan_y', y).runAsync();
  element.addEventListener('wheel', (event) => {
    if (!event.target.closest('svg, canvas')) return;
    event.preventDefault();
    const before = view.signal('zoom');
    const after = Math.min(MAX, Math.max(MIN, before * Math.exp(-event.deltaY / 500)));
    // the map's centre stays where it is: the pan grows with the zoom
    set(after, view.signal('pan_x') * after / before, view.signal('pan_y') * after / before);
  }, {passive: false});
  let start = null;
  element.addEventListener('mousedown', (event) => {
    if (!event.target.closest('svg, canvas') || event.button !== 0) return;
    start = [event.clientX, event.clientY, view.signal('pan_x'), view.signal('pan_y')];
    event.preventDefault();
  });
  window.addEventListener('mousemove', (event) => {
    if (start === null) return;
    set(view.signal('zoom'), start[2] + event.clientX - start[0], start[3] + event.clientY - start[1]);
  });
  window.addEventListener('mouseup', () => { start = null; });
}
"""

#: a table of at most this many rows is kept on one printed page (an A4 page holds about 45 rows)
SHORT_TABLE = 25


def table_html(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    short = " class='short'" if len(frame) <= SHORT_TABLE else ""
    return f"<table{short}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _script_json(value: Any) -> str:
    """JSON that cannot close the script element it sits in."""
    return json.dumps(value).replace("</", "<\\/")


def build_report(title: str, subtitle: str, sections: list[Section], lang: str = "en") -> str:
    """The whole report as one HTML string: every chart is embedded with its data and rendered as SVG."""
    parts = [f"<h1>{html.escape(title)}</h1>", f"<p class='muted'>{html.escape(subtitle)}</p>"]
    specs: list[tuple[str, dict[str, Any]]] = []
    for index, section in enumerate(sections):
        if section.title:
            new_page = " class='new-page'" if section.new_page else ""
            parts.append(f"<h2{new_page}>{html.escape(section.title)}</h2>")
        parts += [f"<p>{html.escape(line)}</p>" for line in section.lead]
        if section.text:
            parts.append(f"<p>{html.escape(section.text)}</p>")
        if section.chart is not None:
            chart_id = f"chart-{index}"
            parts.append(f"<div class='chart' id='{chart_id}'></div>")
            specs.append((chart_id, section.chart.to_dict()))
        if section.table is not None and not section.table.empty:
            table = table_html(section.table)
            if section.folded:
                hint = "click to open the table" if lang == "en" else "klik om de tabel te openen"
                summary = f"{html.escape(section.folded)}<span class='screen-only'>; {hint}</span>"
                table = f"<details><summary>{summary}</summary>{table}</details>"
            parts.append(table)
        parts += [f"<p class='muted'>{html.escape(note)}</p>" for note in section.notes]
    options = {"renderer": "svg", "actions": False, **render_options(lang)}
    calls = "\n".join(
        f"vegaEmbed('#{chart_id}', {_script_json(spec)}, OPTIONS).then(panAndZoom).catch(report);"
        for chart_id, spec in specs
    )
    script = f"""
const errors = document.getElementById('render-errors');
function report(error) {{ errors.textContent += String(error) + '\\n'; }}
window.addEventListener('error', (event) => report(event.message));
const OPTIONS = {json.dumps(options)};
{PAN_AND_ZOOM}
{calls}
// a browser without ::details-content prints folded tables folded: open them for printing, and
// fold again what was folded after
let folded = [];
window.addEventListener('beforeprint', () => {{
  folded = [...document.querySelectorAll('details:not([open])')];
  folded.forEach((d) => {{ d.open = true; }});
}});
window.addEventListener('afterprint', () => {{ folded.forEach((d) => {{ d.open = false; }}); folded = []; }});
"""
    return (
        f"<!DOCTYPE html>\n<html lang='{lang}'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style><script>{vega_javascript()}</script></head><body>"
        + "\n".join(parts)
        + "<pre id='render-errors' class='muted'></pre>"
        + f"<script>{script}</script></body></html>\n"
    )
