"""Write benchmark results: `<date>-<host>.json` and a Markdown table next to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PARSE_LABELS = {"spacy": "bare spaCy", "dyade": "dyade's parse stage (the same model, its ruler and lemmatizer on columns)"}


def write_results(result: dict[str, Any], folder: Path, stem: str | None = None) -> tuple[Path, Path]:
    """Write the JSON result and its Markdown summary; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem or f"{result['date']}-{result['host']}"
    json_path, md_path = folder / f"{stem}.json", folder / f"{stem}.md"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(result), encoding="utf-8")
    return json_path, md_path


def markdown(result: dict[str, Any]) -> str:
    """The result as Markdown: one row per run, then stage shares, scaling and ingest."""
    corpus, machine = result["corpus"], result["machine"]
    lines = [
        f"# dyade benchmark, {result['date']} on {result['host']}",
        "",
        f"{corpus['articles']} generated articles (seed {corpus['seed']}), batch size {corpus['batch_size']}, "
        f"{machine['cpus']} CPUs, Python {machine['python']}, spaCy {machine['spacy']} `fr_core_news_md`; "
        f"1-min load average at the end {machine['load_avg_1min_at_end']}.",
        "",
        "| run | workers | spaCy n_process | articles/s | tokens/s | dyade/spaCy | peak RSS per process (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in result["runs"]:
        kept = run["mode"] == "dyade" and run.get("kept", True)  # with rounds, the ratio is the fastest rounds'
        ratio = result["ratio_vs_spacy"].get(str(run["workers"])) if kept else None
        rss = ", ".join(f"{mb:.0f}" for mb in run["peak_rss_mb"])
        rounds = corpus.get("rounds", 1) > 1 and "round" in run  # spaCy's n_process run is in no round
        label = _label(run["mode"]) + (f" (round {run['round']})" if rounds else "")
        lines.append(f"| {label} | {run['workers']} | {run['n_process']} | {run['articles_per_s']:.1f} | "
                     f"{run['tokens_per_s']:.0f} | {'' if ratio is None else f'{ratio:.2f}'} | {rss} |")
    lines += ["", f"Goals: dyade/spaCy >= {result['ratio_goal']}, peak RSS < {result['peak_rss_goal_mb']:.0f} MB "
              f"per process (measured max {result['peak_rss_mb']:.0f} MB).", ""]
    turns = result.get("interleaved")
    if turns and turns.get("ratio") is not None:
        lines += [f"Taking turns batch by batch in one process (a drifting machine slows both alike): bare spaCy "
                  f"{turns['spacy_s']:.1f} s, dyade end to end {turns['dyade_s']:.1f} s on {turns['articles']} "
                  f"articles, dyade/spaCy **{turns['ratio']:.2f}**."
                  + (f" In the same turns the event coder took {turns['coder_s']:.1f} s: **{turns['coder_vs_spacy']:.1%}** "
                     f"of bare spaCy's parse (issue 4's goal: at most {result['coder_goal']:.0%}) and "
                     f"{turns['coder_vs_dyade_parse']:.1%} of dyade's own parse stage ({turns['parse_s']:.1f} s)."
                     if turns.get("coder_vs_spacy") is not None and turns.get("coder_vs_dyade_parse") is not None
                     else ""), ""]
    if result.get("coder_share_of_parse") is not None:
        parse = result.get("parse_ms_per_article", {})
        coder = result.get("event_coder_share_of_parse")
        lines += [(f"The event coder (the stages after the parse: entities, actors, events, dates, places) takes "
                   f"{coder:.1%} of the time of dyade's parse (goal: at most {result['coder_goal']:.0%}). "
                   if coder is not None else "")
                  + f"Everything but the parse and the reading (cleaning, language and writing too) takes "
                  f"{result['coder_share_of_parse']:.1%}. Parse per article: " + ", ".join(
                      f"{PARSE_LABELS[k]} {v:.1f} ms" for k, v in parse.items()) + ".", ""]
    lines += _shares(result["stage_shares"]) + _scaling(result["scaling"]) + _ingest(result.get("ingest"))
    return "\n".join(lines) + "\n"


def _label(mode: str) -> str:
    return {"spacy": "bare spaCy (`nlp.pipe`)", "dyade": "dyade end to end"}.get(mode, mode)


def _shares(shares: dict[str, float]) -> list[str]:
    if not shares:
        return []
    rows = ["## Share of dyade's time per stage (1 worker)", "", "| stage | share |", "|---|---|"]
    rows += [f"| {name} | {share:.1%} |" for name, share in sorted(shares.items(), key=lambda kv: -kv[1])]
    return [*rows, ""]


def _scaling(scaling: dict[str, Any]) -> list[str]:
    if not scaling:
        return []
    rows = ["## Scaling", "", "| how | processes | speed-up | efficiency |", "|---|---|---|---|"]
    for name, fig in scaling.items():
        count = fig.get("workers", fig.get("n_process"))
        rows.append(f"| {name} | {count} | {fig['speedup']:.2f} | {fig['efficiency']:.0%} |")
    return [*rows, ""]


def _ingest(ingest: dict[str, Any] | None) -> list[str]:
    if not ingest:
        return []
    return ["## DuckDB ingest (`Store.add_batch`, 64 articles a batch)", "",
            f"{ingest['articles']} articles and {ingest['events']} events stored in {ingest['seconds']:.2f} s: "
            f"{ingest['articles_per_s']:.0f} articles/s, {ingest['events_per_s']:.0f} events/s.", ""]
