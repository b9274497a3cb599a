"""`python -m bot kb validate` tells a clinician where each problem is and how to fix it."""
from __future__ import annotations

import pytest
import yaml

from bot.cli import main
from bot.kb.yaml_loader import KnowledgeBaseError, read_knowledge_base
from tests.trainers.conftest import add_new_condition

CONDITION_FILE = "conditions/vitamin_b12_deficiency.yml"


@pytest.fixture
def kb(kb_copy):
    """The project's KB with the guide's new condition added, ready to be broken."""
    add_new_condition(kb_copy)
    return kb_copy


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(kb_dir):
    with pytest.raises(KnowledgeBaseError) as raised:
        read_knowledge_base(kb_dir)
    return raised.value.problems


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_the_guide_edit_validates(kb):
    knowledge_base = read_knowledge_base(kb)
    assert "vitamin_b12_deficiency" in {c.id for c in knowledge_base.conditions}
    assert knowledge_base.symptom("sore_tongue").phrases[0] == "sore tongue"


def test_a_misspelt_symptom_id_names_the_line_and_the_likely_id(kb):
    path = kb / CONDITION_FILE
    edit(path, "sore_tongue: 0.5", "sore_tounge: 0.5")
    [problem] = problems_of(kb)
    assert problem.file.endswith(CONDITION_FILE)
    assert problem.entry == "condition vitamin_b12_deficiency"
    assert problem.line == line_of(path, "sore_tounge")
    assert "unknown symptom id 'sore_tounge'" in problem.message
    assert "symptoms.yml" in problem.fix and "did you mean 'sore_tongue'?" in problem.fix


def test_a_misspelt_id_in_general_care_names_its_line(kb):
    path = kb / "general_care.yml"
    edit(path, "see_a_doctor_with: [foot_drop,", "see_a_doctor_with: [foot_dorp,")
    [problem] = problems_of(kb)
    assert problem.entry == "general_care" and problem.line == line_of(path, "foot_dorp")
    assert "unknown symptom id 'foot_dorp'" in problem.message and "did you mean 'foot_drop'?" in problem.fix


def test_a_certain_symptom_is_sent_to_always(kb):
    path = kb / CONDITION_FILE
    edit(path, "sore_tongue: 0.5", "sore_tongue: 1.0")
    [problem] = problems_of(kb)
    assert problem.line == line_of(path, "sore_tongue: 1.0")
    assert "symptoms.sore_tongue" in problem.message
    assert "between 0 and 1" in problem.fix and "`always:`" in problem.fix and "`never:`" in problem.fix


def test_a_condition_without_a_source_is_refused(kb):
    path = kb / CONDITION_FILE
    edit(path, "sources:\n  - nhs_b12_deficiency", "sources: []")
    [problem] = problems_of(kb)
    assert "sources" in problem.message
    assert "cite at least one source" in problem.fix


def test_an_unknown_source_is_refused_with_where_to_add_it(kb):
    edit(kb / CONDITION_FILE, "  - nhs_b12_deficiency", "  - nhs_b12_deficency")
    [problem] = problems_of(kb)
    assert "unknown source id 'nhs_b12_deficency'" in problem.message
    assert "sources.yml" in problem.fix and "did you mean 'nhs_b12_deficiency'?" in problem.fix


def test_a_symptom_needs_a_question_and_two_lay_phrases(kb):
    path = kb / "symptoms.yml"
    document = yaml.safe_load(path.read_text())
    sore_tongue = next(s for s in document["symptoms"] if s["id"] == "sore_tongue")
    sore_tongue["phrases"] = ["sore tongue"]
    sore_tongue["question"] = "Is your tongue sore"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    problems = {p.message.split(":")[0]: p for p in problems_of(kb)}
    assert set(problems) == {"question", "phrases"}
    assert "'?'" in problems["question"].fix
    assert "at least two" in problems["phrases"].fix


def test_a_phrase_of_two_symptoms_is_ambiguous(kb):
    path = kb / "symptoms.yml"
    document = yaml.safe_load(path.read_text())
    document["symptoms"].append({"id": "tongue_pain", "name": "Painful tongue", "question": "Does your tongue hurt?",
                                 "phrases": ["painful tongue", "Sore  Tongue"]})
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    [problem] = problems_of(kb)
    assert problem.entry == "symptom tongue_pain"
    assert "'Sore  Tongue' also belongs to symptom 'sore_tongue'" in problem.message
    assert problem.line == line_of(path, "Sore  Tongue")
    assert "keep 'Sore  Tongue' under one of the two symptoms" in problem.fix


def test_a_wrong_choice_suggests_the_allowed_one(kb):
    edit(kb / CONDITION_FILE, "rarity: uncommon", "rarity: uncomon")
    [problem] = problems_of(kb)
    assert "did you mean 'uncommon'?" in problem.fix


def test_a_misspelt_field_name_suggests_the_field(kb):
    edit(kb / CONDITION_FILE, "urgency_wording:", "urgency_wordng:")
    messages = {p.message: p.fix for p in problems_of(kb)}
    assert "did you mean 'urgency_wording'?" in messages["urgency_wordng: extra fields not permitted"]
    assert messages["urgency_wording: field required"].startswith("add `urgency_wording:`")


def test_the_command_prints_file_line_entry_problem_and_fix(kb, capsys):
    path = kb / CONDITION_FILE
    edit(path, "sore_tongue: 0.5", "sore_tounge: 0.5")
    assert main(["kb", "validate", "--kb-dir", str(kb)]) == 1
    err = capsys.readouterr().err
    assert "1 problem(s)" in err
    [line] = [line.strip() for line in err.splitlines() if "sore_tounge" in line]
    assert line.endswith("or fix the spelling (did you mean 'sore_tongue'?)")
    assert f"{CONDITION_FILE}:{line_of(path, 'sore_tounge')}: condition vitamin_b12_deficiency: " in line
    assert ". Fix: add it to " in line


def test_invalid_yaml_names_its_line(kb):
    (kb / "faqs.yml").write_text("faqs:\n- id: x\n  question: is it: serious\n")
    [problem] = problems_of(kb)
    assert problem.line == 3
    assert "not valid YAML" in problem.message and "quotes" in problem.fix
