"""The figures against their targets, and the printed report."""

from __future__ import annotations

from typing import Any

# Targets from issue 7, checked (and printed) against the figures.
TARGET_REAL_WARM_S = 5.0
TARGET_1000_WARM_S = 10.0
TARGET_1000_OUTPUT_MB = 50.0
TARGET_GROWTH_5000_OVER_1000 = 5.5
TARGET_OVERHEAD = 1.3
# Targets from issue 11 (search at 5,000 notes; page weight).
TARGET_FIRST_RESULT_MS = 500
TARGET_SECOND_QUERY_MS = 100
TARGET_NOTE_GZIP_KB = 68.0
TARGET_REAL_SAVE_S = 1.0  # save to updated page under mkdocs serve
TARGET_1000_SAVE_S = 2.0


def _fmt(value: Any, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _kb(weight: dict[str, Any]) -> str:
    total = weight["total"]
    js = weight["js"]["bytes"] + weight["runtime_js"]["bytes"]
    return f"{total['bytes'] / 1000:.0f} KB ({total['gzip'] / 1000:.0f} KB gzip; JS {js / 1000:.0f} KB{', Vega' if weight['loads_vega'] else ', no Vega'})"


def _serve_line(serve: dict[str, Any]) -> str:
    saves = ", ".join(f"{key.removesuffix('_save_to_page_s').replace('_', ' ')} saved -> page {value} s"
                      for key, value in serve.items() if key.endswith("_save_to_page_s"))
    problems = [f"ERROR {serve['error'][-300:]}"] if "error" in serve else []
    problems += [f"SKIPPED {skipped}" for skipped in serve.get("skipped", [])]
    return " ".join([f"{serve.get('server', 'mkdocs serve')}: first build {serve.get('first_build_s')} s, {saves}", *problems])


def _serve_lines(prefix: str, result: dict[str, Any]) -> list[str]:
    """Save-to-page lines: MkDocs, the tree under Zensical, and Zensical alone on its own Markdown."""
    servers = [result.get("serve"), result.get("serve_zensical"), (result.get("zensical") or {}).get("serve")]
    return [prefix + _serve_line(serve) for serve in servers if serve]


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, figure, met?) for each target of issue 7 the run has figures for."""
    out: list[tuple[str, str, bool | None]] = []
    real = results.get("real_site")
    if real and real["warm"]["ok"]:
        out.append((f"real site warm build < {TARGET_REAL_WARM_S:g} s", f"{real['warm']['wall_s']} s wall, {real['warm']['cpu_s']} s CPU", real["warm"]["wall_s"] < TARGET_REAL_WARM_S))
    for key, engine in (("serve", "MkDocs"), ("serve_zensical", "Zensical")):
        saved = (real or {}).get(key, {}).get("note_save_to_page_s")
        if saved is not None:
            out.append((f"real site ({engine}): note saved -> page < {TARGET_REAL_SAVE_S:g} s", f"{saved} s", saved < TARGET_REAL_SAVE_S))
    sizes = {r["notes"]: r for r in results["sizes"] if "warm" in r}
    if 1000 in sizes:
        warm = sizes[1000]["warm"]
        out.append((f"1,000 notes warm < {TARGET_1000_WARM_S:g} s", f"{warm['wall_s']} s", warm["wall_s"] < TARGET_1000_WARM_S))
        out.append((f"1,000 notes output < {TARGET_1000_OUTPUT_MB:g} MB", f"{warm['output_mb']} MB", warm["output_mb"] < TARGET_1000_OUTPUT_MB))
        for key, engine in (("serve", "MkDocs"), ("serve_zensical", "Zensical")):
            saved = sizes[1000].get(key, {}).get("note_save_to_page_s")
            if saved is not None:
                out.append((f"1,000 notes ({engine}): note saved -> page < {TARGET_1000_SAVE_S:g} s", f"{saved} s", saved < TARGET_1000_SAVE_S))
    if 1000 in sizes and 5000 in sizes:
        ratio = sizes[5000]["warm"]["wall_s"] / sizes[1000]["warm"]["wall_s"]
        out.append((f"5,000 / 1,000 notes warm <= {TARGET_GROWTH_5000_OVER_1000:g}x", f"{ratio:.2f}x", ratio <= TARGET_GROWTH_5000_OVER_1000))
    notes_html = {n: r["page_weight"]["note_without_chart"]["html"]["bytes"] for n, r in sizes.items()}
    if len(notes_html) > 1:
        low, high = min(notes_html), max(notes_html)
        growth = notes_html[high] / notes_html[low]
        out.append(("note HTML does not grow with the notes", f"{notes_html[low]} B at {low}, {notes_html[high]} B at {high} notes", growth < 1.1))
    for n, r in sorted(sizes.items()):
        if "overhead_wall" in r:
            out.append((f"{n} notes: overhead <= {TARGET_OVERHEAD:g}x plain Material", f"x{r['overhead_wall']} wall, x{r['overhead_cpu']} CPU", r["overhead_wall"] <= TARGET_OVERHEAD))
        z = r.get("zensical", {}).get("warm") or r.get("zensical", {}).get("cold")
        if n == 1000 and z:
            out.append(("1,000 notes: faster than Zensical", f"{r['warm']['wall_s']} s vs {z['wall_s']} s{' (limit)' if z.get('timed_out') else ''}", r["warm"]["wall_s"] < z["wall_s"]))
        if r["cold"]["charts_rendered"] is not None:
            out.append((f"{n} notes: warm build renders no chart", f"rendered {r['warm']['charts_rendered']}, cached {r['warm']['charts_cached']}", r["warm"]["charts_rendered"] == 0))
        out.append((f"{n} notes: a note without a chart loads no Vega", "loads Vega" if r["page_weight"]["note_without_chart"]["loads_vega"] else "no Vega", not r["page_weight"]["note_without_chart"]["loads_vega"]))
        note_gz = r["page_weight"]["note_without_chart"]["total"]["gzip"] / 1000
        out.append((f"{n} notes: a note without a chart <= {TARGET_NOTE_GZIP_KB:g} KB gzip", f"{note_gz:.1f} KB gzip", note_gz <= TARGET_NOTE_GZIP_KB))
        found = r.get("search", {})
        if "first_result_ms" in found:
            out.append((f"{n} notes: first search result < {TARGET_FIRST_RESULT_MS} ms (fresh page)", f"{found['first_result_ms']} ms", found["first_result_ms"] < TARGET_FIRST_RESULT_MS))
            out.append((f"{n} notes: second query < {TARGET_SECOND_QUERY_MS} ms", f"{found['second_query_ms']} ms", found["second_query_ms"] < TARGET_SECOND_QUERY_MS))
    return out


def report(results: dict[str, Any]) -> str:
    lines = [f"Benchmark {results['date']} on {results['machine']['cpus']} CPUs, Python {results['machine']['python']}, "
             f"MkDocs {results['machine']['mkdocs']}, Material {results['machine']['material']}", ""]
    real = results.get("real_site")
    if real:
        lines.append(f"Real site: cold {real['cold']['wall_s']} s, warm {real['warm']['wall_s']} s wall "
                     f"({real['warm']['cpu_s']} s CPU), peak {real['warm']['peak_mb']} MB, output {real['warm']['output_mb']} MB, "
                     f"search index {real['warm']['search_index_mb']} MB, {real['warm']['pages']} pages")
        lines += _serve_lines("Real site, ", real)
        lines.append("")
    head = f"{'notes':>6} {'charts':>6} {'cold s':>7} {'warm s':>7} {'CPU s':>6} {'ms/note':>8} {'peak MB':>8} {'out MB':>7} {'index MB':>8} {'rendered/cached':>16} {'plain s':>8} {'overhead':>8} {'zensical s':>11}"
    lines.append(head)
    for r in results["sizes"]:
        if "warm" not in r:
            lines.append(f"{r['notes']:>6} {r['charts']:>6}  failed: {r.get('error', '')[:200]}")
            continue
        cold, warm = r["cold"], r["warm"]
        plain = r.get("plain_material", {})
        z = r.get("zensical", {})
        z_text = "–"
        if z.get("cold"):
            z_text = f"{z['cold']['wall_s']}" + ("+" if z["cold"].get("timed_out") else "")
            if z.get("warm"):
                z_text += f"/{z['warm']['wall_s']}"
        lines.append(
            f"{r['notes']:>6} {r['charts']:>6} {cold['wall_s']:>7.1f} {warm['wall_s']:>7.1f} {warm['cpu_s']:>6.1f} {r['ms_per_note_warm']:>8.1f} "
            f"{max(cold['peak_mb'], warm['peak_mb']):>8.0f} {warm['output_mb']:>7.1f} {warm['search_index_mb']:>8.2f} "
            f"{str(cold['charts_rendered']) + '/' + str(warm['charts_cached']):>16} {_fmt(plain.get('wall_s'), digits=1):>8} "
            f"{_fmt(r.get('overhead_wall'), 'x'):>8} {z_text:>11}"
        )
    lines.append("(cold/warm: wall seconds; CPU: warm build user+sys; rendered/cached: charts rendered cold / taken from cache warm; zensical: cold/warm wall s, + = stopped at the time limit)")
    for r in results["sizes"]:
        if "page_weight" not in r:
            continue
        w = r["page_weight"]
        lines.append("")
        lines.append(f"{r['notes']} notes, page weight: home {_kb(w['home'])}; note without chart {_kb(w['note_without_chart'])}; "
                     f"note with chart {_kb(w['note_with_chart'])}; chart page {_kb(w['chart_page'])}")
        warm = r["warm"]
        lines.append(f"{r['notes']} notes, search index (Pagefind): {warm.get('search_pages')} pages in {warm.get('search_index_s')} s, "
                     f"index {warm['search_index_mb']} MB, bundle {warm.get('search_bundle_mb')} MB")
        if "search" in r:
            found = r["search"]
            if "first_result_ms" in found:
                lines.append(f"{r['notes']} notes, search in Chromium (fresh page): open {found['open_ms']} ms, first result {found['first_result_ms']} ms "
                             f"(runs {found['runs_first_result_ms']}, {found['first_query_kb']} KB fetched), second query {found['second_query_ms']} ms "
                             f"({found['second_query_kb']} KB); "
                             f"expected first hit: {found['first_hit']}")
            else:
                lines.append(f"{r['notes']} notes, search: {found}")
        lines += _serve_lines(f"{r['notes']} notes, ", r)
        z = r.get("zensical", {})
        if z.get("cold"):
            lines.append(f"{r['notes']} notes, Zensical {z.get('version', '')}: output {z['cold']['output_mb']} MB, peak {z['cold']['peak_mb']} MB")
    lines.append("")
    lines.append("Targets:")
    for name, figure, met in targets(results):
        lines.append(f"  [{'met ' if met else 'MISS' if met is False else ' ?  '}] {name}: {figure}")
    return "\n".join(lines)

