"""Are the probabilities shown honest? How often the leading cause shown is right, against how likely it
was said to be: the Brier score of the leading cause and a reliability table and plot.

Only cases that end in an assessment and whose cause is in the knowledge base count: an escalation
shows no probabilities.
"""
from __future__ import annotations

from pathlib import Path

from bot.evaluation.scoring import CaseScore

Point = tuple[float, bool]  # the leading cause's probability as shown, and whether it was right
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def points(cases: list[CaseScore]) -> list[Point]:
    return [(case.played.probabilities[0], bool(case.top1)) for case in cases
            if case.played.ended_by == "assessment" and case.top1 is not None and case.played.probabilities]


def brier(chosen: list[Point]) -> float | None:
    """Mean squared gap between the probability shown and what happened (0 is perfect; always saying 50% scores
    0.25)."""
    return sum((p - right) ** 2 for p, right in chosen) / len(chosen) if chosen else None


def reliability(chosen: list[Point]) -> list[tuple[float, float, float, float, int]]:
    """(bin low, bin high, mean probability shown, share right, cases) per probability bin with cases."""
    rows = []
    for low, high in zip(BINS, BINS[1:], strict=False):
        inside = [(p, right) for p, right in chosen if low <= p < high or (high == 1.0 and p == 1.0)]
        if inside:
            rows.append((low, high, sum(p for p, _ in inside) / len(inside),
                         sum(right for _, right in inside) / len(inside), len(inside)))
    return rows


def write_report(results: dict[str, list[CaseScore]], markdown: Path, plot: Path) -> None:
    lines = ["# Calibration of the probabilities shown", "",
             "The leading cause of each assessment (cause in the knowledge base): the probability shown against "
             "how often it was right. Written by `make evaluate`; the engine's `shown_temperature` "
             "(bot/triage/engine.py) is fitted for the lowest Brier score on the tuning sets.", ""]
    for name, cases in results.items():
        chosen = points(cases)
        score = brier(chosen)
        lines += [f"## {name}", "", f"Brier score of the leading cause: {score:.3f} ({len(chosen)} assessments)"
                  if score is not None else "No assessment with a cause in the knowledge base.", ""]
        rows = reliability(chosen)
        if rows:
            lines += ["| shown | mean shown | right | cases |", "| --- | ---: | ---: | ---: |"]
            lines += [f"| {low:.0%}-{high:.0%} | {mean:.0%} | {right:.0%} | {n} |"
                      for low, high, mean, right, n in rows]
            lines.append("")
    markdown.parent.mkdir(parents=True, exist_ok=True)
    markdown.write_text("\n".join(lines), encoding="utf-8")
    _plot(results, plot)


def _plot(results: dict[str, list[CaseScore]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5.5, 5))
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    for name, cases in results.items():
        rows = reliability(points(cases))
        if rows:
            axis.plot([r[2] for r in rows], [r[3] for r in rows], marker="o", label=name)
    axis.set_xlabel("probability shown for the leading cause")
    axis.set_ylabel("share of cases where it was right")
    axis.set_xlim(0, 1)
    axis.set_ylim(0, 1.05)
    axis.set_title("Reliability of the leading cause")
    axis.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
