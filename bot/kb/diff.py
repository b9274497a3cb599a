"""`python -m bot kb diff`: what an edit of `data/kb/` changes, in words, for a clinician's review.

Compares the KB in the work tree with the KB at a git ref (default HEAD), or with another folder.
It reads the YAML as plain data, so it works even when one side does not validate (it then
says so): a reviewer sees what changed first, and `kb validate` says what is wrong.

    Conditions
      + new condition vitamin_b12_deficiency "Vitamin B12 deficiency" (uncommon, urgency consultation)
      ~ stroke_tia "Stroke or TIA":
          likelihood face_droop 0.5 -> 0.6
"""
from __future__ import annotations

import difflib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

import yaml

from bot.kb.yaml_loader import LIST_SECTIONS, SINGLE_SECTIONS, KnowledgeBaseError, kb_files, read_knowledge_base

# Sections in the order a reviewer reads them, with their headings and the word for one entry.
SECTIONS = [
    ("conditions", "Conditions", "condition"),
    ("symptoms", "Symptoms", "symptom"),
    ("red_flags", "Red-flag rules", "red-flag rule"),
    ("faqs", "FAQ answers", "FAQ"),
    ("sources", "Sources", "source"),
    ("meta", "Settings (meta)", "setting"),
    ("general_care", "General care", "general care"),
]
# Texts told to the person word for word: a change shows the edit and the whole new text.
TOLD_TEXTS = {"faqs": ("answer",), "red_flags": ("reason",), "symptoms": ("question",)}
SHORT_TEXT = 60  # longer texts are shown as a word diff: [-removed-] {+added+}


@dataclass
class RawKb:
    """The KB as plain data: list sections by entry id, single sections as mappings."""

    sections: Dict[str, Any] = field(default_factory=dict)
    unreadable: List[str] = field(default_factory=list)  # files that are not valid YAML

    def entries(self, section: str) -> Dict[str, Dict[str, Any]]:
        return self.sections.get(section, {})


@dataclass
class EntryChange:
    section: str
    entry_id: str
    kind: str  # added | removed | changed
    title: str  # how the entry is named in the report
    details: List[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------- reading
def raw_kb_from_texts(texts: Mapping[str, str]) -> RawKb:
    """Joins the sections of every file, as `read_knowledge_base` does, without validating them."""
    kb = RawKb(sections={**{s: {} for s in LIST_SECTIONS}, **{s: {} for s in SINGLE_SECTIONS}})
    for name in sorted(texts):
        try:
            document = yaml.safe_load(texts[name])
        except yaml.YAMLError:
            kb.unreadable.append(name)
            continue
        if not isinstance(document, dict):
            continue
        for section, value in document.items():
            if section in SINGLE_SECTIONS and isinstance(value, dict):
                kb.sections[section] = value
            elif section in LIST_SECTIONS and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and item.get("id"):
                        kb.sections[section][str(item["id"])] = item
    return kb


def raw_kb_from_dir(kb_dir: Path) -> RawKb:
    kb_dir = Path(kb_dir)
    return raw_kb_from_texts({str(p.relative_to(kb_dir)): p.read_text(encoding="utf-8") for p in kb_files(kb_dir)})


class GitError(RuntimeError):
    """The base KB could not be read from git (not a repository, unknown ref)."""


def raw_kb_from_git(ref: str, kb_dir: Path) -> RawKb:
    """The KB folder as it is at `ref` (`git ls-tree` and `git show`); empty if the folder did not exist."""
    kb_dir = Path(kb_dir).resolve()
    top = Path(_git(kb_dir if kb_dir.exists() else kb_dir.parent, "rev-parse", "--show-toplevel").strip())
    rel = kb_dir.relative_to(top).as_posix()
    _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=f"'{ref}' is not a commit or branch")
    names = [n for n in _git(top, "ls-tree", "-r", "--name-only", ref, "--", rel).splitlines() if n.endswith(".yml")]
    return raw_kb_from_texts({n[len(rel) + 1:]: _git(top, "show", f"{ref}:{n}") for n in names})


def _git(cwd: Path, *args: str, what: Optional[str] = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise GitError(what or f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


# ---------------------------------------------------------------------------------------- comparing
def compare(old: RawKb, new: RawKb) -> List[EntryChange]:
    """Every added, removed or changed entry, sections in reading order, entries by id."""
    changes: List[EntryChange] = []
    for section, _, _ in SECTIONS:
        if section in SINGLE_SECTIONS:
            details = _single_section_details(section, old.sections.get(section) or {},
                                              new.sections.get(section) or {})
            if details:
                changes.append(EntryChange(section, section, "changed", section, details))
            continue
        before, after = old.entries(section), new.entries(section)
        for entry_id in sorted(set(before) | set(after)):
            if entry_id not in before:
                changes.append(EntryChange(section, entry_id, "added", _title(section, after[entry_id]),
                                           _new_entry_details(section, after[entry_id])))
            elif entry_id not in after:
                changes.append(EntryChange(section, entry_id, "removed", _title(section, before[entry_id])))
            elif before[entry_id] != after[entry_id]:
                details = _entry_details(section, before[entry_id], after[entry_id], new)
                changes.append(EntryChange(section, entry_id, "changed", _title(section, after[entry_id]), details))
    return changes


def _title(section: str, entry: Dict[str, Any]) -> str:
    if section == "red_flags":
        return f"{entry['id']} ({entry.get('pattern')}, {entry.get('triage')})"
    name = entry.get("name") or entry.get("title") or entry.get("question")
    return f"{entry['id']} \"{name}\"" if name else str(entry["id"])


def _new_entry_details(section: str, entry: Dict[str, Any]) -> List[str]:
    """What a reviewer must check in a new entry."""
    if section == "conditions":
        likelihoods = ", ".join(f"{s} {p}" for s, p in (entry.get("symptoms") or {}).items())
        lines = [f"rarity {entry.get('rarity')}, urgency {entry.get('urgency')}",
                 f"symptom likelihoods: {likelihoods}"]
        lines += [f"{key}: {', '.join(map(str, entry[key]))}" for key in ("never", "always") if entry.get(key)]
        return lines + [f"sources: {', '.join(entry.get('sources') or []) or 'NONE'}"]
    if section == "symptoms":
        return [f"kind {entry.get('kind', 'symptom')}; asks: \"{entry.get('question')}\"",
                f"phrases: {_quoted(entry.get('phrases') or [])}"]
    if section == "red_flags":
        return [f"pattern {entry.get('pattern')}, {entry.get('triage')}; escalates on "
                + " or ".join(_combination(c) for c in entry.get("any_of") or []),
                f"tells the person: \"{_flat(entry.get('reason'))}\"", f"source: {entry.get('source')}"]
    if section == "faqs":
        return [f"answer: \"{_flat(entry.get('answer'))}\""]
    if section == "sources":
        return [f"{entry.get('publisher')}: {entry.get('url') or 'no url'}"]
    return []


def _entry_details(section: str, before: Dict[str, Any], after: Dict[str, Any], new: RawKb) -> List[str]:
    details: List[str] = []
    for key in _keys(before, after):
        old, now = before.get(key), after.get(key)
        if old == now:
            continue
        if section == "conditions" and key == "symptoms":
            details += _likelihood_changes(old or {}, now or {}, new)
        elif section == "symptoms" and key == "phrases":
            details += _list_changes("phrases", old or [], now or [])
        elif section == "red_flags" and key == "any_of":
            details += _combination_changes(old or [], now or [])
        elif key in TOLD_TEXTS.get(section, ()) and isinstance(now, str):
            # what the person is told: the reviewer reads the whole new wording, not only the edit
            details += _value_changes(key, old, now)
            details += [f"{key} now reads: \"{_flat(now)}\""] if len(_flat(now)) > SHORT_TEXT else []
        else:
            details += _value_changes(key, old, now)
    return details


def _likelihood_changes(old: Dict[str, Any], now: Dict[str, Any], new: RawKb) -> List[str]:
    default = (new.sections.get("meta") or {}).get("default_symptom_probability", "the default")
    lines = []
    for symptom in _keys(old, now):
        if symptom not in old:
            lines.append(f"new symptom {symptom} {now[symptom]}")
        elif symptom not in now:
            lines.append(f"symptom {symptom} no longer listed (was {old[symptom]}; now {default}, the default)")
        elif old[symptom] != now[symptom]:
            lines.append(f"likelihood {symptom} {old[symptom]} -> {now[symptom]}")
    return lines


def _combination_changes(old: List[List[str]], now: List[List[str]]) -> List[str]:
    before = {tuple(sorted(map(str, c))) for c in old}
    after = {tuple(sorted(map(str, c))) for c in now}
    lines = [f"new combination {_combination(c)}" for c in sorted(after - before)]
    return lines + [f"combination {_combination(c)} removed: it no longer escalates" for c in sorted(before - after)]


def _single_section_details(section: str, old: Dict[str, Any], now: Dict[str, Any]) -> List[str]:
    details: List[str] = []
    for key in _keys(old, now):
        if old.get(key) != now.get(key):
            details += _value_changes(key, old.get(key), now.get(key))
    return details


def _value_changes(key: str, old: Any, now: Any) -> List[str]:
    """Changes of one field, whatever its shape: mappings by key, lists by item, texts as word diffs."""
    if isinstance(old, dict) or isinstance(now, dict):
        old, now = old if isinstance(old, dict) else {}, now if isinstance(now, dict) else {}
        lines = []
        for inner in _keys(old, now):
            if old.get(inner) != now.get(inner):
                lines += _value_changes(f"{key} {inner}", old.get(inner), now.get(inner))
        return lines
    if isinstance(old, list) or isinstance(now, list):
        return _list_changes(key, old if isinstance(old, list) else [], now if isinstance(now, list) else [])
    if old is None:
        return [f"{key} set to {_short(now)}"]
    if now is None:
        return [f"{key} removed (was {_short(old)})"]
    if isinstance(old, str) and isinstance(now, str) and max(len(old), len(now)) > SHORT_TEXT:
        return [f"{key} changed: {word_diff(old, now)}"]
    return [f"{key} {_short(old)} -> {_short(now)}"]


def _list_changes(label: str, old: List[Any], now: List[Any]) -> List[str]:
    label = label.replace("_", " ")
    added = [item for item in now if item not in old]
    removed = [item for item in old if item not in now]
    lines = []
    if added:
        lines.append(f"added to {label}: {_quoted(added)}")
    if removed:
        lines.append(f"removed from {label}: {_quoted(removed)}")
    if not added and not removed:
        lines.append(f"{label}: order changed")
    return lines


def word_diff(old: str, now: str, context: int = 5) -> str:
    """'... the [-old-] {+new+} words ...': removed words in [- -], added in {+ +}, long equal runs cut."""
    a, b = _flat(old).split(), _flat(now).split()
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    out: List[str] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            words = a[i1:i2]
            head = words[:context] if index > 0 else []
            tail = words[-context:] if index < len(opcodes) - 1 else []
            out += words if len(words) <= len(head) + len(tail) + 2 else [*head, "...", *tail]
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(word for word in out if word)


def _keys(old: Mapping[str, Any], now: Mapping[str, Any]) -> List[str]:
    """Keys of both, in the new order first: how the reviewer sees them in the file."""
    return list(now) + [key for key in old if key not in now]


def _combination(ids: Iterable[Any]) -> str:
    return "[" + " + ".join(map(str, ids)) + "]"


def _quoted(items: Iterable[Any]) -> str:
    return ", ".join(f"\"{item}\"" if isinstance(item, str) else str(item) for item in items)


def _short(value: Any) -> str:
    return f"\"{_flat(value)}\"" if isinstance(value, str) and " " in value.strip() else str(value)


def _flat(text: Any) -> str:
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------------------- reporting
def next_steps(changes: List[EntryChange]) -> List[str]:
    """What else the edit needs before it can ship, from what it touched."""
    touched = {c.section for c in changes}
    steps = []
    if touched & {"symptoms", "conditions"}:
        steps.append("retrain (`make train`): the symptom extractor's vocabulary is part of the model")
    if "red_flags" in touched or any(c.section == "symptoms" for c in changes):
        steps.append("run `make safety-report`: red-flag escalation must stay at 100% recall")
    if "faqs" in touched:
        steps.append("run `python -m bot generate`: FAQ answers are generated into data/faq_responses.yml")
    if touched:
        steps.append("load it where it runs (`python -m bot kb load`) once it is reviewed and merged")
    return steps


def render(changes: List[EntryChange], base_label: str, new_label: str,
           old: RawKb, new: RawKb, problems: Optional[List[str]] = None) -> str:
    lines = [f"Knowledge-base changes: {base_label} -> {new_label}", ""]
    for name, kb in ((base_label, old), (new_label, new)):
        if kb.unreadable:
            lines += [f"! not valid YAML in {name}, left out of the comparison: {', '.join(kb.unreadable)}", ""]
    if not changes:
        lines.append("No changes.")
    for section, heading, noun in SECTIONS:
        in_section = [c for c in changes if c.section == section]
        if not in_section:
            continue
        lines.append(heading)
        for change in in_section:
            if change.kind == "added":
                lines.append(f"  + new {noun} {change.title}")
            elif change.kind == "removed":
                lines.append(f"  - removed {noun} {change.title}")
            elif section in SINGLE_SECTIONS:
                lines.append("  ~ changed:")
            else:
                lines.append(f"  ~ {change.title}:")
            lines += [f"      {detail}" for detail in change.details]
        lines.append("")
    if problems:
        lines += [f"! The edited knowledge base does not validate ({len(problems)} problem(s)); "
                  "`python -m bot kb validate` says how to fix them:"]
        lines += [f"    {p}" for p in problems] + [""]
    steps = next_steps(changes)
    if steps:
        lines += ["Next steps:"] + [f"  - {step}" for step in steps]
    return "\n".join(lines).rstrip() + "\n"


def diff_report(kb_dir: Path, base: str = "HEAD", base_dir: Optional[Path] = None) -> Tuple[str, List[EntryChange]]:
    """The report comparing `kb_dir` with `base_dir` if given, else with `kb_dir` at git ref `base`."""
    old = raw_kb_from_dir(base_dir) if base_dir else raw_kb_from_git(base, kb_dir)
    new = raw_kb_from_dir(kb_dir)
    changes = compare(old, new)
    try:
        read_knowledge_base(kb_dir)
        problems: List[str] = []
    except KnowledgeBaseError as error:
        problems = [str(p) for p in error.problems]
    where = os.path.relpath(kb_dir)
    base_label = os.path.relpath(base_dir) if base_dir else f"{where} at git {base}"
    new_label = f"{where} in the work tree" if not base_dir else where
    return render(changes, base_label, new_label, old, new, problems), changes
