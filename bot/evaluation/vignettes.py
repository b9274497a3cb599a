"""Clinical vignettes (tests/vignettes/FORMAT.md): who the person is, what they type, what they answer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.kb.schema import TRIAGE_LEVELS

SEXES = ("female", "male")


class VignetteError(ValueError):
    """A vignette file that does not follow the format."""


@dataclass(frozen=True)
class Expect:
    triage: tuple[str, ...]  # accepted levels
    conditions: tuple[str, ...] = ()  # regexes; one must match a ranked condition's name or id
    present: tuple[str, ...] = ()  # regexes that must match evidence marked present
    absent: tuple[str, ...] = ()  # regexes that must match evidence marked absent
    outside_kb: str = ""  # the expected cause, when the KB has no such condition (top-k is then not scored)


@dataclass(frozen=True)
class Aside:
    after: int  # sent right after the assistant's question number `after` (1-based), before answering it
    say: str


@dataclass(frozen=True)
class Vignette:
    id: str
    age: float
    sex: str
    opener: str
    facts: tuple[tuple[str, str], ...]
    expect: Expect
    asides: tuple[Aside, ...] = ()
    set_name: str = ""
    _compiled: tuple = field(default=(), compare=False, repr=False)

    def answer(self, question: str) -> str:
        """The person's answer to a question: the first fact whose regex matches it, else "no"."""
        for pattern, (_, answer) in zip(self._compiled, self.facts, strict=True):
            if pattern.search(question):
                return answer
        return "no"


def load_vignettes(path: Path) -> list[Vignette]:
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise VignetteError(f"{path}: not valid YAML: {error}") from error
    entries = document.get("vignettes") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise VignetteError(f"{path}: expected a top-level 'vignettes:' list")
    vignettes, seen = [], set()
    for index, entry in enumerate(entries):
        vignette = _vignette(entry, path.stem, f"{path}: vignette #{index + 1}")
        if vignette.id in seen:
            raise VignetteError(f"{path}: duplicate vignette id {vignette.id!r}")
        seen.add(vignette.id)
        vignettes.append(vignette)
    return vignettes


def _vignette(entry, set_name: str, where: str) -> Vignette:
    if not isinstance(entry, dict):
        raise VignetteError(f"{where}: must be a mapping")
    try:
        expect = entry["expect"]
        triage = tuple(expect["triage"])
        facts = tuple((str(p), str(a)) for p, a in entry.get("facts") or ())
        vignette = Vignette(
            id=str(entry["id"]),
            age=float(entry["age"]),
            sex=str(entry["sex"]),
            opener=str(entry["opener"]),
            facts=facts,
            expect=Expect(
                triage=triage,
                conditions=tuple(expect.get("conditions") or ()),
                present=tuple(expect.get("present") or ()),
                absent=tuple(expect.get("absent") or ()),
                outside_kb=str(expect.get("outside_kb") or ""),
            ),
            asides=tuple(Aside(int(a["after"]), str(a["say"])) for a in entry.get("asides") or ()),
            set_name=set_name,
            _compiled=tuple(re.compile(p, re.IGNORECASE) for p, _ in facts),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise VignetteError(f"{where}: {error.__class__.__name__}: {error}") from error
    unknown = set(triage) - set(TRIAGE_LEVELS)
    if not triage or unknown:
        raise VignetteError(f"{where} ({vignette.id}): triage must list levels of {TRIAGE_LEVELS}, got {triage}")
    if vignette.sex not in SEXES:
        raise VignetteError(f"{where} ({vignette.id}): sex must be one of {SEXES}")
    for pattern in (*vignette.expect.conditions, *vignette.expect.present, *vignette.expect.absent):
        re.compile(pattern)
    return vignette
