"""Reads and validates `data/kb/` into a `KnowledgeBase`.

Every YAML file under the folder is a mapping of top-level sections. List sections are joined
across files; `meta` and `general_care` appear once. Each problem names its file, line and entry,
says what is wrong and how to fix it, so a clinician can correct the YAML without reading code.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

import yaml
from pydantic import ValidationError

from bot.kb.ids import SYMPTOM_IDS_USED_BY_CODE
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
ENTRY_NAMES = {"sources": "source", "symptoms": "symptom", "conditions": "condition", "red_flags": "red_flag",
               "faqs": "faq"}
# The file a new entry of each kind usually goes to (docs/knowledge-base.md), named in fixes.
HOME_FILES = {"symptom": "symptoms.yml", "source": "sources.yml", "condition": "conditions/"}

# How to fix a schema error, by field name, where the field needs more than pydantic's message.
FIELD_FIXES = {
    "sources": "cite at least one source id from sources.yml, e.g. `sources: [nhs_tia]`",
    "phrases": "list at least two lower-case lay phrases people type, e.g. `phrases: [numb toes, toes feel numb]`",
    "question": "write the yes/no question the assistant asks, in plain words, ending with '?'",
    "symptoms": "give at least two symptom ids with P(present | condition), e.g. `tingling: 0.7`",
    "causes": "list at least one cause in plain words",
    "diagnosis": "list at least one way it is diagnosed",
    "treatment": "list at least one treatment",
    "any_of": "list symptom-id combinations, e.g. `any_of: [[sudden_onset, face_droop]]`",
    "id": "use lower-case snake_case: a letter first, then letters, digits or '_', e.g. `foot_drop`",
}
LIKELIHOOD_FIX = ("a likelihood is P(symptom present | condition): use a number strictly between 0 and 1 "
                  "(e.g. 0.05 rare, 0.5 half the time, 0.95 nearly always); for 0 list the symptom under `never:`, "
                  "for 1 under `always:`")


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    message: str
    fix: str = ""
    line: Optional[int] = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.entry}: {self.message}" + (f". Fix: {self.fix}" if self.fix else "")


class KnowledgeBaseError(ValueError):
    """The KB does not validate; `problems` lists every problem found."""

    def __init__(self, problems: List[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# Where each node of one entry is: path inside the entry (keys and list indexes) -> (line, scalar value).
NodeLines = Dict[Tuple[Any, ...], Tuple[int, Optional[str]]]


@dataclass(frozen=True)
class _Origin:
    file: str
    line: Optional[int]
    nodes: NodeLines

    def line_of(self, field: str, value: Optional[str] = None) -> Optional[int]:
        """The line of `field` in this entry, or of `value` inside it (a mapping key or a list item)."""
        if value is not None:
            for path, (line, scalar) in self.nodes.items():
                if path[:1] == (field,) and len(path) > 1 and (path[-1] == value or scalar == value):
                    return line
        found = self.nodes.get((field,))
        return found[0] if found else self.line


def kb_files(kb_dir: Path) -> List[Path]:
    return sorted(p for p in Path(kb_dir).rglob("*.yml") if p.is_file())


def read_knowledge_base(kb_dir: Path = DEFAULT_KB_DIR) -> KnowledgeBase:
    """Parses and validates every file; raises KnowledgeBaseError listing all problems."""
    kb_dir = Path(kb_dir)
    problems: List[Problem] = []
    sections: Dict[str, Any] = {name: [] for name in LIST_SECTIONS}
    origins: Dict[Tuple[str, str], _Origin] = {}  # (section, id) -> where it is defined, for messages

    for path in kb_files(kb_dir):
        rel = os.path.relpath(path)
        for section, entry_name, value, nodes, problem in _parse_file(path, rel):
            if problem:
                problems.append(problem)
                continue
            line = nodes[()][0] if () in nodes else None
            single = section in SINGLE_SECTIONS
            model_class = (SINGLE_SECTIONS if single else LIST_SECTIONS)[section]
            model = _validate(model_class, value, _Origin(rel, line, nodes), entry_name, problems)
            if model is None:
                continue
            key = (section, "" if single else model.id)
            if key in origins:
                first = origins[key]
                what = f"'{section}'" if single else "this id"
                fix = (f"keep one '{section}' section" if single
                       else "give the new entry its own id, or remove one of the two")
                problems.append(Problem(rel, entry_name, f"{what} is already defined in {first.file}"
                                        + (f" (line {first.line})" if first.line else ""), fix, line))
                continue
            origins[key] = _Origin(rel, line, nodes)
            if single:
                sections[section] = model
            else:
                sections[section].append(model)

    for section, model_class in SINGLE_SECTIONS.items():
        if not isinstance(sections.get(section), model_class) and not any(
                p.entry == section for p in problems):
            problems.append(Problem(str(kb_dir), section, f"no file defines '{section}'",
                                    f"add a top-level `{section}:` section (see docs/knowledge-base.md)"))
    if problems:
        raise KnowledgeBaseError(problems)

    problems.extend(_cross_reference_problems(sections, origins, _home_dir(kb_dir)))
    problems.extend(_ambiguous_phrase_problems(sections["symptoms"], origins))
    if problems:
        raise KnowledgeBaseError(problems)
    for section in ("sources", "symptoms", "conditions"):  # order of files carries no meaning
        sections[section].sort(key=lambda entry: entry.id)
    return KnowledgeBase(**sections)


def _home_dir(kb_dir: Path) -> str:
    return os.path.relpath(kb_dir)


# ---------------------------------------------------------------------------------------- parsing
def _parse_file(path: Path, rel: str) -> Iterator[Tuple[str, str, Any, NodeLines, Optional[Problem]]]:
    """(section, entry name, value, node lines, problem) for every entry of one file."""
    try:
        document, root = _load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(error, "problem", None) or str(error)
        yield "", "(file)", None, {}, Problem(
            rel, "(file)", f"not valid YAML: {what}" + (f" (column {mark.column + 1})" if mark else ""),
            "check the indentation and the quotes near the line named (a value containing ': ' needs quotes)", line)
        return
    if document is None:
        return
    nodes = _node_lines(root, depth=5)
    if not isinstance(document, dict):
        yield "", "(file)", None, {}, Problem(rel, "(file)", "must be a mapping of sections such as 'symptoms:'",
                                              "start the file with a section name, e.g. `symptoms:`")
        return
    for section, value in document.items():
        section_nodes = _below(nodes, (section,))
        section_line = section_nodes[()][0] if () in section_nodes else None
        if section in SINGLE_SECTIONS:
            yield section, section, value, section_nodes, None
        elif section in LIST_SECTIONS:
            if not isinstance(value, list):
                yield section, section, None, section_nodes, Problem(
                    rel, section, "must be a list of entries", "start each entry with '- id: ...'", section_line)
                continue
            for index, item in enumerate(value):
                entry = item.get("id") if isinstance(item, dict) and item.get("id") else f"#{index + 1}"
                yield section, f"{ENTRY_NAMES[section]} {entry}", item, _below(section_nodes, (index,)), None
        else:
            known = sorted({*LIST_SECTIONS, *SINGLE_SECTIONS})
            yield "", "", None, {}, Problem(
                rel, str(section), f"unknown section; expected one of: {', '.join(known)}",
                _did_you_mean(str(section), known, "rename it"), section_line)


def _load(text: str) -> Tuple[Any, Optional[yaml.Node]]:
    """The document (as `yaml.safe_load` gives it) and its node tree (for line numbers), parsed once."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    finally:
        loader.dispose()


def _node_lines(node: yaml.Node, depth: int) -> NodeLines:
    """Line and scalar value of `node` and its children down to `depth`, keyed by path."""
    lines: NodeLines = {(): (node.start_mark.line + 1, node.value if isinstance(node, yaml.ScalarNode) else None)}
    if depth == 0:
        return lines
    if isinstance(node, yaml.MappingNode):
        children = [(key.value, key, value) for key, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = [(index, item, item) for index, item in enumerate(node.value)]
    else:
        return lines
    for name, where, child in children:
        for path, found in _node_lines(child, depth - 1).items():
            lines[(name, *path)] = found
        # a mapping entry is reported at its key: a block value starts on the next line
        lines[(name,)] = (where.start_mark.line + 1, lines[(name,)][1])
    return lines


def _below(nodes: NodeLines, prefix: Tuple[Any, ...]) -> NodeLines:
    return {path[len(prefix):]: found for path, found in nodes.items() if path[:len(prefix)] == prefix}


# ------------------------------------------------------------------------------------- schema errors
def _validate(model, value, origin: _Origin, entry: str, problems: List[Problem]):
    if not isinstance(value, dict):
        problems.append(Problem(origin.file, entry, "must be a mapping of fields",
                                "write each field as `name: value` under the entry's '- id: ...'", origin.line))
        return None
    try:
        return model(**value)
    except ValidationError as error:
        for item in error.errors():
            loc = [part for part in item["loc"] if part not in ("__root__", "__key__")]
            where = ".".join(str(part) for part in loc)
            problems.append(Problem(origin.file, entry, f"{where + ': ' if where else ''}{item['msg']}",
                                    _schema_fix(model, [str(p) for p in loc], item), _line_at(origin, loc)))
        return None


def _line_at(origin: _Origin, loc: List[Any]) -> Optional[int]:
    """The line of the most specific node of `loc` that the file has (a missing field: the entry's line)."""
    for length in range(len(loc), 0, -1):
        found = origin.nodes.get(tuple(loc[:length]))
        if found:
            return found[0]
    return origin.line


def _schema_fix(model, loc: List[str], error: Dict[str, Any]) -> str:
    """How to fix one pydantic error, in words a clinician can act on."""
    kind, ctx = error["type"], error.get("ctx") or {}
    field = loc[0] if loc else ""
    if kind == "value_error.extra":
        return _did_you_mean(field, list(model.__fields__), "remove it or fix its name")
    if kind == "value_error.missing":
        return f"add `{field}:` to the entry" + (f": {FIELD_FIXES[field]}" if field in FIELD_FIXES else "")
    if kind == "value_error.const" and "permitted" in ctx:
        permitted = [str(p) for p in ctx["permitted"]]
        close = difflib.get_close_matches(str(ctx.get("given")), permitted, n=1, cutoff=0.6)
        return (f"did you mean '{close[0]}'? Allowed: " if close else "use one of: ") + ", ".join(permitted)
    if model is Condition and field == "symptoms" and len(loc) > 1 and kind.startswith(("value_error.number",
                                                                                         "type_error.float")):
        return LIKELIHOOD_FIX
    if kind.startswith("value_error.number") and field in ("rarity_priors", "default_symptom_probability"):
        return "use a number strictly between 0 and 1"
    if field in FIELD_FIXES and kind.startswith(("value_error.list", "value_error.str", "value_error.any_str",
                                                  "type_error")):
        return FIELD_FIXES[field]
    if kind == "value_error" and "question" in field:
        return "end the question with '?'"
    if kind.startswith("type_error.none"):
        return f"give `{field}` a value, or remove the line to use its default"
    return ""


# ------------------------------------------------------------------------------ cross references
def _cross_reference_problems(sections: Dict[str, Any], origins: Dict[Tuple[str, str], _Origin],
                              kb_dir: str) -> List[Problem]:
    problems: List[Problem] = []
    known = {"symptom": sorted(s.id for s in sections["symptoms"]),
             "source": sorted(s.id for s in sections["sources"]),
             "condition": sorted(c.id for c in sections["conditions"])}

    def check(section: str, entry_id: str, field: str, ids: Iterable[str], kind: str) -> None:
        origin = origins[(section, entry_id)]
        entry = f"{ENTRY_NAMES[section]} {entry_id}" if section in ENTRY_NAMES else section
        for unknown in sorted(set(ids) - set(known[kind])):
            problems.append(Problem(
                origin.file, entry, f"{field}: unknown {kind} id '{unknown}'",
                _did_you_mean(unknown, known[kind], f"add it to {kb_dir}/{HOME_FILES[kind]}", "or fix the spelling"),
                origin.line_of(field, unknown)))

    for condition in sections["conditions"]:
        check("conditions", condition.id, "symptoms", condition.symptoms, "symptom")
        check("conditions", condition.id, "never", condition.never, "symptom")
        check("conditions", condition.id, "always", condition.always, "symptom")
        check("conditions", condition.id, "sources", condition.sources, "source")
    for rule in sections["red_flags"]:
        check("red_flags", rule.id, "any_of", {i for combo in rule.any_of for i in combo}, "symptom")
        check("red_flags", rule.id, "source", [rule.source], "source")
        check("red_flags", rule.id, "condition", [rule.condition] if rule.condition else [], "condition")
        check("red_flags", rule.id, "unless", rule.unless, "symptom")
    check("general_care", "", "see_a_doctor_with", sections["general_care"].see_a_doctor_with, "symptom")
    for missing in sorted(set(SYMPTOM_IDS_USED_BY_CODE) - set(known["symptom"])):
        problems.append(Problem(f"{kb_dir}/{HOME_FILES['symptom']}", f"symptom {missing}",
                                "missing: the assistant's code relies on this id (bot/kb/ids.py)",
                                f"add the symptom `{missing}` back, or change bot/kb/ids.py with a developer"))
    return problems


def _ambiguous_phrase_problems(symptoms: List[Symptom], origins: Dict[Tuple[str, str], _Origin]) -> List[Problem]:
    """A phrase the extractor would match for two different symptoms: it cannot tell which one was meant.

    The extractor matches a symptom's lay phrases and its clinical name (without the part in
    parentheses), so both count. Matching ignores case and spacing.
    """
    problems: List[Problem] = []
    owner: Dict[str, Tuple[str, str]] = {}  # normalised phrase -> (symptom id, the phrase as written)
    for symptom in symptoms:
        seen_here = set()
        for phrase in [_name_as_phrase(symptom.name), *symptom.phrases]:
            key = _normalised(phrase)
            if not key or key in seen_here:
                continue
            seen_here.add(key)
            if key not in owner:
                owner[key] = (symptom.id, phrase)
                continue
            other_id, _ = owner[key]
            origin, other = origins[("symptoms", symptom.id)], origins[("symptoms", other_id)]
            other_line = other.line_of("phrases", owner[key][1])
            where = other.file + (f", line {other_line}" if other_line else "")
            problems.append(Problem(
                origin.file, f"symptom {symptom.id}",
                f"phrase '{phrase}' also belongs to symptom '{other_id}' ({where}), "
                "so the extractor cannot tell which one was meant",
                f"keep '{phrase}' under one of the two symptoms, or make it longer and more specific",
                origin.line_of("phrases", phrase)))
    return problems


def _name_as_phrase(name: str) -> str:
    return re.sub(r"\([^)]*\)", " ", name)


def _normalised(phrase: str) -> str:
    return " ".join(phrase.lower().replace("\u2019", "'").split())


def _did_you_mean(wrong: str, choices: Iterable[str], fix: str, alternative: str = "") -> str:
    """'<fix> <alternative> (did you mean 'x'?)', or just '<fix>' when nothing is close."""
    close = difflib.get_close_matches(wrong, list(choices), n=1, cutoff=0.6)
    if not close:
        return fix
    return f"{fix} {alternative} (did you mean '{close[0]}'?)".replace("  ", " ")
