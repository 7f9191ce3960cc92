"""Computed tables: their embed, page (with the in-browser explorer) and index."""

from __future__ import annotations

import json

from .. import paths
from ..tables import ComputedTable, browser_definition, published_text, value_text
from .markup import source_line, _used_by, cell, esc, front_matter, index_page, md_link


def _table_markdown(table: ComputedTable, src_uri: str) -> str:
    lines = ["| Quantity | Value | How | Source |", "|---|---|---|---|"]
    for item in table.inputs:
        source = table.sources.get(item.source or "")
        source_text = f"[{cell(source.title)}]({source.url})" if source and source.url else cell(item.source)
        lines.append(f"| {cell(item.label)} | {cell(value_text(table, item.name))} | input | {source_text} |")
    for item in table.outputs:
        lines.append(f"| **{cell(item.label)}** | **{cell(value_text(table, item.name))}** | `{item.formula.replace('|', '/')}` | computed |")
        for published in table.published_for(item.name):
            source = table.sources.get(published.source)
            source_text = f"[{cell(source.title)}]({source.url})" if source and source.url else cell(published.source)
            lines.append(f"| ↳ {cell(published.label)} | {cell(published_text(published, item))} | published estimate | {source_text} |")
    for item in table.inputs:
        for published in table.published_for(item.name):
            source = table.sources.get(published.source)
            lines.append(f"| ↳ {cell(published.label)} | {cell(published_text(published, item))} | published | {cell(source.title if source else published.source)} |")
    return "\n".join(lines) + "\n"


def table_embed(table: ComputedTable, src_uri: str) -> str:
    page = md_link(src_uri, paths.table_page_uri(table.id))
    ranges = any(v.low is not None for v in table.inputs)
    note = " Ranges in brackets are the lowest and highest results over every combination of the input ranges." if ranges else ""
    return (
        f"**{table.title}**\n\n" + _table_markdown(table, src_uri)
        + f"\nComputed when the site is built, with units checked.{note} [Inputs, method and sources]({page})\n"
    )


def table_page(table: ComputedTable, used_by: list[tuple[str, str]]) -> str:
    uri = paths.table_page_uri(table.id)
    out = [front_matter(table.title, table.description), f"# {table.title}\n\n", " ".join(table.description.split()) + "\n\n"]
    out.append(_table_markdown(table, uri) + "\n")
    if any(v.low is not None for v in table.inputs):
        out.append("Ranges in brackets are the lowest and highest results over every combination of the input ranges (interval arithmetic over the corners).\n\n")
    out.append(table_explorer(table))
    notes = [v for v in [*table.inputs, *table.outputs] if v.note]
    notes += [p for p in table.published if p.note]
    if notes:
        out.append("## Notes on the figures\n\n")
        for item in notes:
            out.append(f"- **{item.label}**: {' '.join(item.note.split())}\n")
        out.append("\n")
    if table.notes:
        out.append("## Method and caveats\n\n" + table.notes.strip() + "\n\n")
    out.append("## Sources\n\n")
    for key, source in table.sources.items():
        out.append(f"- `{key}`: {source_line(source)}\n")
    out.append("\n## Used by\n\n" + _used_by(used_by, uri))
    return "".join(out)


def table_explorer(table: ComputedTable) -> str:
    """"Try other values": a number field for every input (and a slider between low and high where it
    has a range) and the outputs recomputed by the page script from the same parsed formulas, with the
    build's unit conversions. Hidden until the script runs; the build's table above stays as sourced."""
    definition, why = browser_definition(table)
    if definition is None:
        return f"The outputs are not recomputed in the browser: {esc(why)}.\n\n"
    fields = []
    for item in definition["inputs"]:
        ident = f"lc-in-{table.id}-{item['name']}"
        unit = f" ({esc(item['units'])})" if item["units"] else ""
        slider = ""
        if item["low"] is not None:
            step = (item["high"] - item["low"]) / 100 or "any"
            slider = (f'<input type="range" id="{ident}-range" aria-label="{esc(item["label"])}, from {item["low"]:g} to {item["high"]:g}" '
                      f'data-lc-slider="{esc(item["name"])}" min="{item["low"]!r}" max="{item["high"]!r}" step="{step!r}" value="{item["value"]!r}">')
        fields.append(
            f'<div class="lc-table-input"><label for="{ident}">{esc(item["label"])}{unit}</label> '
            f'<input type="number" id="{ident}" data-lc-input="{esc(item["name"])}" step="any" value="{item["value"]!r}">{slider}</div>'
        )
    rows = "".join(
        f'<tr><td>{esc(o["label"])}</td><td><output data-lc-output="{esc(o["name"])}">{esc(value_text(table, o["name"]).split(" (")[0])}</output></td></tr>'
        for o in definition["outputs"]
    )
    return (
        f'<div class="lc-table-explorer" data-lc-table="{esc(json.dumps(definition, sort_keys=True, ensure_ascii=False))}" hidden markdown="0">\n'
        '<h2 id="try-other-values">Try other values</h2>\n'
        "<p>Change an input: the outputs are recomputed in your browser from the same formulas, with the same unit "
        "conversions, as the table above. The page's address keeps your values.</p>\n"
        + "\n".join(fields)
        + '\n<p><button type="button" class="lc-button" data-lc-reset>Reset to the sourced values</button></p>\n'
        f'<table data-lc-outputs data-search-exclude><thead><tr><th>Output</th><th>At your values</th></tr></thead><tbody>{rows}</tbody></table>\n'
        "</div>\n\n"
    )


def tables_index(tables: dict[str, ComputedTable]) -> str:
    uri = paths.TABLES_INDEX_URI
    lines = (
        f"| [{cell(t.title)}]({md_link(uri, paths.table_page_uri(t.id))}) | {len(t.inputs)} | {cell('; '.join(f'{o.label}: {value_text(t, o.name)}' for o in t.outputs))} |\n"
        for t in sorted(tables.values(), key=lambda t: t.title.lower())
    )
    return index_page("Computed tables", "Estimates computed from sourced inputs, with units checked.",
                      "| Table | Inputs | Outputs |\n|---|---:|---|\n", lines)
