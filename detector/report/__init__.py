"""The self-contained ``report.html``: summary, timeline, clusters with reasons and trigger
posts, and the account clusters found in posts.

The page carries everything inline (styles and an SVG timeline); it loads no
script, font or image from anywhere, so it can be mailed to a colleague.
"""
from __future__ import annotations

import html

import pandas as pd

from .timeline import timeline_svg

__all__ = ["render_report"]

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#1d2430;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #dde}
.muted{color:#667} .cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #dde;border-radius:8px;padding:.7rem 1rem;min-width:160px}
.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;font-size:.9rem} th,td{border-bottom:1px solid #eef;padding:.35rem .5rem;
text-align:left;vertical-align:top} th{background:#f5f6fa} td.num{text-align:right;white-space:nowrap}
.bar{display:inline-block;height:.7rem;background:#c0392b;border-radius:2px;vertical-align:middle}
"""


def _card(label: str, value: str) -> str:
    return f'<div class="card"><span class="muted">{html.escape(label)}</span><b>{html.escape(value)}</b></div>'


def _clusters_table(clusters: pd.DataFrame) -> str:
    if clusters.empty:
        return "<p>No coordinated cluster was flagged.</p>"
    rows = []
    for row in clusters.sort_values("score", ascending=False).itertuples(index=False):
        first = pd.Timestamp(row.first_seen).strftime("%Y-%m-%d %H:%M UTC")
        last = pd.Timestamp(row.last_seen).strftime("%Y-%m-%d %H:%M UTC")
        width = max(2, int(round(float(row.score) * 80)))
        rows.append(
            f"<tr><td>{html.escape(str(row.cluster_id))}</td>"
            f'<td class="num"><span class="bar" style="width:{width}px"></span> {float(row.score):.2f}</td>'
            f'<td class="num">{int(row.size):,}</td><td>{first}<br>{last}</td>'
            f"<td>{html.escape(str(getattr(row, 'trigger_post_ids', '') or '-'))}</td>"
            f"<td>{html.escape(str(row.reasons))}</td></tr>")
    return ("<table><thead><tr><th>cluster</th><th>score</th><th>size</th><th>first / last seen</th>"
            "<th>trigger posts</th><th>reasons</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _triggers_section(first: pd.DataFrame | None) -> str:
    if first is None or first.empty:
        return ""
    rows = "".join(f"<tr><td>{html.escape(str(r.cluster_id))}</td><td>{html.escape(str(r.post_id))}</td>"
                   f"<td>{html.escape(str(r.account_id))}</td><td>{pd.Timestamp(r.created_at):%Y-%m-%d %H:%M} UTC</td></tr>"
                   for r in first.itertuples(index=False))
    return ("<h2>Trigger posts</h2><p class=\"muted\">The post each flagged cluster is attributed to (purple "
            "marks on the timeline); the clusters table lists the runners-up.</p><table><thead><tr><th>cluster</th>"
            "<th>post</th><th>author</th><th>posted</th></tr></thead><tbody>" + rows + "</tbody></table>")


def _accounts_section(accounts: pd.DataFrame | None) -> str:
    if accounts is None:
        return ""
    flagged = accounts[accounts["flagged"].astype(str).str.lower() == "true"]
    if flagged.empty:
        return "<h2>Account clusters in posts</h2><p>No group of accounts co-acted repeatedly beyond chance.</p>"
    rows = "".join(
        f"<tr><td>{html.escape(str(r.account_cluster_id))}</td><td class=\"num\">{float(r.score):.2f}</td>"
        f"<td class=\"num\">{int(r.size):,}</td><td>{html.escape(str(r.registration_clusters) or '-')}</td>"
        f"<td>{html.escape(str(r.reasons))}</td></tr>" for r in flagged.itertuples(index=False))
    return ("<h2>Account clusters in posts</h2><p class=\"muted\">Accounts that repeatedly shared the same "
            "links, posts or texts within seconds of each other, more often than shifted timelines give by "
            "chance; merged with the sign-up clusters whose registrants they are linked to.</p>"
            "<table><thead><tr><th>accounts</th><th>score</th><th>size</th><th>sign-up clusters</th>"
            "<th>reasons</th></tr></thead><tbody>" + rows + "</tbody></table>")


def render_report(summary: dict, clusters: pd.DataFrame, timeline: pd.DataFrame,
                  accounts: pd.DataFrame | None = None, triggers: pd.DataFrame | None = None) -> str:
    """Render the report page.

    Parameters
    ----------
    summary : dict
        The detection's summary (``summary.json``).
    clusters : pandas.DataFrame
        The flagged clusters (``clusters.csv``), with timestamps.
    timeline : pandas.DataFrame
        ``event_id, start, observed, expected`` per time bin.
    accounts : pandas.DataFrame, optional
        The account clusters (``account_clusters.csv``) when posts were given.
    triggers : pandas.DataFrame, optional
        The trigger posts (``triggers.csv``): marked on the timeline and listed.

    Returns
    -------
    str
        A complete HTML document.
    """
    counts = summary.get("counts", {})
    est = summary.get("estimated_coordinated_registrations", {})
    interval = est.get("interval", 0.9)
    cards = "".join([
        _card("registrations", f"{counts.get('registrations', 0):,}"),
        _card("flagged", f"{counts.get('flagged', 0):,}"),
        _card("clusters", f"{counts.get('clusters', 0):,}"),
        _card("estimated coordinated",
              f"{est.get('value', 0):,.0f} ({est.get('low', 0):,.0f}-{est.get('high', 0):,.0f})"),
    ] + ([_card("account clusters in posts", f"{counts['account_clusters']:,}")] if "account_clusters" in counts else []))
    method = html.escape(est.get("method", ""))
    spans = [(pd.Timestamp(r.first_seen), pd.Timestamp(r.last_seen)) for r in clusters.itertuples(index=False)]
    first = triggers[triggers["rank"] == 1] if triggers is not None and len(triggers) else None
    marks = [] if first is None else [(pd.Timestamp(r.created_at), f"{r.post_id} ({r.cluster_id})")
                                     for r in first.itertuples(index=False)]
    svg = timeline_svg(timeline, spans, marks)
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in summary.get("notes", []))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>detector report</title><style>{_STYLE}</style></head>
<body>
<h1>Coordinated sign-up report</h1>
<p class="muted">detector {html.escape(str(summary.get('version', '')))} &middot;
{html.escape(', '.join(f'{k}: {v}' for k, v in summary.get('inputs', {}).items()))}</p>
<div class="cards">{cards}</div>
<p>The estimate is a {interval:.0%} interval. Method: {method}</p>
<h2>Timeline</h2>
<p class="muted">Sign-ups per time bin (dark), the learned organic baseline (orange line), the flagged
clusters (red bands) and their trigger posts (purple marks).</p>
{svg}
<h2>Flagged clusters</h2>
{_clusters_table(clusters)}
{_triggers_section(first)}
{_accounts_section(accounts)}
{f'<h2>Notes</h2><ul>{notes}</ul>' if notes else ''}
<p class="muted">The CSV files beside this page keep ids as they are in the input, so that other
programs can join on them. A spreadsheet may run a cell that starts with =, +, - or @ as a formula:
write files meant for spreadsheets with <code>detector detect --excel-safe</code>.</p>
</body></html>
"""
