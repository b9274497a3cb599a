"""The evaluation's outputs: a console table, reports/evaluation.md, reports/evaluation.png, failed transcripts."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from bot.evaluation.play import transcript
from bot.evaluation.scoring import CaseScore, Metric, summarise

TARGETS = {
    "emergency sensitivity": "100%",
    "over-triage to emergency": "<= 10%",
    "triage accuracy": ">= 85%",
    "top-1 condition": ">= 75%",
    "top-3 condition": ">= 90%",
    "mean questions asked": "<= 10",
}
CHARTED = ("emergency sensitivity", "over-triage to emergency", "triage accuracy", "safe triage", "top-1 condition",
           "top-3 condition", "evidence checks")


def table(results: dict[str, list[CaseScore]]) -> str:
    summaries = {name: summarise(cases) for name, cases in results.items()}
    labels = [m.label for m in next(iter(summaries.values()))] if summaries else []
    header = ["metric", *summaries, "target"]
    rows = [[label, *(_metric(summaries[name], label).shown() for name in summaries), TARGETS.get(label, "")]
            for label in labels]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)) for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def write_markdown(results: dict[str, list[CaseScore]], path: Path, mode: str) -> None:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"# Vignette evaluation\n\n{stamp}; played against: {mode}.\n"]
    for name, cases in results.items():
        parts.append(f"## {name}\n\n| metric | value | target |\n| --- | --- | --- |")
        parts += [f"| {m.label} | {m.shown()} | {TARGETS.get(m.label, '')} |" for m in summarise(cases)]
        failed = [c for c in cases if c.failed]
        if failed:
            parts.append(f"\nFailed cases ({len(failed)}; transcripts in reports/failed/{name}/):\n")
            parts += [f"- `{c.played.vignette.id}`: {'; '.join(c.failures)}" for c in failed]
        parts.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def write_chart(results: dict[str, list[CaseScore]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summaries = {name: {m.label: m for m in summarise(cases)} for name, cases in results.items()}
    figure, axis = plt.subplots(figsize=(11, 4.5))
    width = 0.8 / max(1, len(summaries))
    for offset, (name, metrics) in enumerate(summaries.items()):
        values = [(metrics[label].value or 0.0) * 100 for label in CHARTED]
        positions = [i + offset * width for i in range(len(CHARTED))]
        bars = axis.bar(positions, values, width, label=name)
        axis.bar_label(bars, fmt="%.0f", fontsize=7)
    axis.set_xticks([i + width * (len(summaries) - 1) / 2 for i in range(len(CHARTED))])
    axis.set_xticklabels(CHARTED, rotation=20, ha="right", fontsize=8)
    axis.set_ylabel("%")
    axis.set_ylim(0, 125)
    axis.set_title("Vignette evaluation")
    axis.legend(loc="upper center", ncol=max(1, len(summaries)), fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write_failures(results: dict[str, list[CaseScore]], folder: Path) -> None:
    """reports/failed/<set>/<id>.txt for every failed case; the folder is rewritten on every run."""
    for name, cases in results.items():
        target = folder / name
        shutil.rmtree(target, ignore_errors=True)
        for case in cases:
            if not case.failed:
                continue
            target.mkdir(parents=True, exist_ok=True)
            vignette = case.played.vignette
            header = [
                f"vignette {vignette.id} ({name}), {vignette.age:g} {vignette.sex}, "
                f"{'clicks buttons' if case.played.clicks else 'types answers'}",
                f"expected triage {list(vignette.expect.triage)}, conditions {list(vignette.expect.conditions)}",
                f"told {case.played.triage} (ended by {case.played.ended_by}), "
                f"ranked {[n for _, n in case.played.conditions]}",
                "failures: " + "; ".join(case.failures),
                "",
            ]
            (target / f"{vignette.id}.txt").write_text("\n".join(header) + transcript(case.played) + "\n",
                                                         encoding="utf-8")


def _metric(metrics: list[Metric], label: str) -> Metric:
    return next(m for m in metrics if m.label == label)
