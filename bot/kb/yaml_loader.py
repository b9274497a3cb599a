"""Reads and validates `data/kb/` into a `KnowledgeBase`.

Every YAML file under the folder is a mapping of top-level sections. List sections are joined
across files; `meta` and `general_care` appear once. Each problem names its file and entry.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import yaml
from pydantic import ValidationError

from bot.kb.schema import (
    Condition,
    Faq,
    GeneralCare,
    KnowledgeBase,
    Meta,
    RedFlagRule,
    Source,
    Symptom,
)

DEFAULT_KB_DIR = Path(__file__).resolve().parents[2] / "data" / "kb"

LIST_SECTIONS = {
    "sources": Source,
    "symptoms": Symptom,
    "conditions": Condition,
    "red_flags": RedFlagRule,
    "faqs": Faq,
}
SINGLE_SECTIONS = {"meta": Meta, "general_care": GeneralCare}


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


class KnowledgeBaseError(ValueError):
    """The KB does not validate; `problems` lists every problem found."""

    def __init__(self, problems: List[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def kb_files(kb_dir: Path) -> List[Path]:
    return sorted(p for p in Path(kb_dir).rglob("*.yml") if p.is_file())


def read_knowledge_base(kb_dir: Path = DEFAULT_KB_DIR) -> KnowledgeBase:
    """Parses and validates every file; raises KnowledgeBaseError listing all problems."""
    kb_dir = Path(kb_dir)
    problems: List[Problem] = []
    sections: Dict[str, Any] = {name: [] for name in LIST_SECTIONS}
    origins: Dict[Tuple[str, str], str] = {}  # (section, id) -> file, for messages

    for path in kb_files(kb_dir):
        rel = os.path.relpath(path)
        for section, entry_name, value, problem in _parse_file(path, rel):
            if problem:
                problems.append(problem)
                continue
            single = section in SINGLE_SECTIONS
            model = _validate((SINGLE_SECTIONS if single else LIST_SECTIONS)[section], value, rel, entry_name, problems)
            if model is None:
                continue
            key = (section, "" if single else model.id)
            if key in origins:
                what = f"'{section}'" if single else "this id"
                problems.append(Problem(rel, entry_name, f"{what} is already defined in {origins[key]}"))
                continue
            origins[key] = rel
            if single:
                sections[section] = model
            else:
                sections[section].append(model)

    for section in SINGLE_SECTIONS:
        if section not in sections:
            problems.append(Problem(str(kb_dir), section, f"no file defines '{section}'"))
    if problems:
        raise KnowledgeBaseError(problems)

    problems.extend(_cross_reference_problems(sections, origins))
    if problems:
        raise KnowledgeBaseError(problems)
    for section in ("sources", "symptoms", "conditions"):  # order of files carries no meaning
        sections[section].sort(key=lambda entry: entry.id)
    return KnowledgeBase(**sections)


def _parse_file(path: Path, rel: str) -> Iterator[Tuple[str, str, Any, Any]]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        yield "", "", None, Problem(rel, "(file)", f"not valid YAML: {error}")
        return
    if document is None:
        return
    if not isinstance(document, dict):
        yield "", "", None, Problem(rel, "(file)", "must be a mapping of sections such as 'symptoms:'")
        return
    for section, value in document.items():
        if section in SINGLE_SECTIONS:
            yield section, section, value, None
        elif section in LIST_SECTIONS:
            if not isinstance(value, list):
                yield section, section, None, Problem(rel, section, "must be a list of entries")
                continue
            for index, item in enumerate(value):
                entry = item.get("id") if isinstance(item, dict) and item.get("id") else f"#{index + 1}"
                yield section, f"{section[:-1] if section != 'red_flags' else 'red_flag'} {entry}", item, None
        else:
            known = ", ".join(sorted({*LIST_SECTIONS, *SINGLE_SECTIONS}))
            yield "", "", None, Problem(rel, section, f"unknown section; expected one of: {known}")


def _validate(model, value, rel: str, entry: str, problems: List[Problem]):
    if not isinstance(value, dict):
        problems.append(Problem(rel, entry, "must be a mapping of fields"))
        return None
    try:
        return model(**value)
    except ValidationError as error:
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"] if part != "__root__")
            problems.append(Problem(rel, entry, f"{where + ': ' if where else ''}{item['msg']}"))
        return None


def _cross_reference_problems(sections: Dict[str, Any], origins) -> List[Problem]:
    problems: List[Problem] = []
    symptom_ids = {s.id for s in sections["symptoms"]}
    source_ids = {s.id for s in sections["sources"]}

    def check(section: str, entry_id: str, field: str, ids, known, kind: str) -> None:
        for unknown in sorted(set(ids) - known):
            problems.append(
                Problem(origins[(section, entry_id)], f"{section[:-1]} {entry_id}",
                        f"{field}: unknown {kind} id '{unknown}' (add it to the {kind}s or fix the spelling)")
            )

    for condition in sections["conditions"]:
        check("conditions", condition.id, "symptoms", condition.symptoms, symptom_ids, "symptom")
        check("conditions", condition.id, "never", condition.never, symptom_ids, "symptom")
        check("conditions", condition.id, "always", condition.always, symptom_ids, "symptom")
        check("conditions", condition.id, "sources", condition.sources, source_ids, "source")
    for rule in sections["red_flags"]:
        check("red_flags", rule.id, "any_of", {i for combo in rule.any_of for i in combo}, symptom_ids, "symptom")
        check("red_flags", rule.id, "source", [rule.source], source_ids, "source")
    return problems
