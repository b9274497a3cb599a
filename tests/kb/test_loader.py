"""The KB loader: YAML -> validated objects -> database, in one transaction, on SQLite and PostgreSQL."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import IntegrityError

from bot.cli import main
from bot.kb import models as m
from bot.kb.store import read_stored_knowledge_base, save_knowledge_base
from bot.kb.yaml_loader import KnowledgeBaseError, read_knowledge_base
from tests.conftest import KB_DIR, new_postgres_database


def table_counts(engine) -> dict:
    with engine.connect() as connection:
        return {t.__tablename__: connection.execute(select(func.count()).select_from(t)).scalar()
                for t in (m.ConditionRow, m.SymptomRow, m.SymptomPhrase, m.ConditionSymptom, m.RedFlagRow, m.FaqRow)}


@pytest.fixture
def sqlite_engine(tmp_path):
    return create_engine(f"sqlite:///{tmp_path / 'kb.sqlite3'}", future=True)


@pytest.fixture
def postgres_engine():
    with new_postgres_database("kb_test") as url:
        engine = create_engine(url, future=True)
        yield engine
        engine.dispose()


@pytest.fixture
def broken_kb(tmp_path):
    """A copy of the real KB that the test then breaks."""
    copy = tmp_path / "kb"
    shutil.copytree(KB_DIR, copy)
    return copy


def test_every_seed_condition_and_named_cause_is_in_the_kb(knowledge_base):
    ids = {c.id for c in knowledge_base.conditions}
    seed = {"stroke_tia", "restless_legs", "peripheral_arterial_disease", "multiple_sclerosis",
            "herniated_lumbar_disc", "fibular_nerve_injury", "fibromyalgia", "diabetic_neuropathy",
            "idiopathic_peripheral_neuropathy", "vertebral_osteomyelitis"}
    named = {"guillain_barre", "spinal_cord_compression", "compartment_syndrome", "acute_limb_ischaemia",
             "fracture_trauma", "positional_compression", "toxic_neuropathy", "shingles", "lupus",
             "charcot_marie_tooth"}
    assert seed | named <= ids
    assert all(c.group == "seed" for c in knowledge_base.conditions if c.id in seed)
    assert len(knowledge_base.faqs) == 5
    assert len(knowledge_base.general_care.doctor_questions) == 4


def test_every_condition_cites_a_reputable_source_beside_the_seed(knowledge_base):
    for condition in knowledge_base.conditions:
        assert set(condition.sources) - {"buoy_lower_leg_numbness"}, condition.id


@pytest.mark.parametrize("engine_fixture",
                         ["sqlite_engine", pytest.param("postgres_engine", marks=pytest.mark.postgres)])
def test_load_round_trips_and_loading_twice_gives_the_same_database(request, engine_fixture, knowledge_base):
    engine = request.getfixturevalue(engine_fixture)
    save_knowledge_base(engine, knowledge_base)
    first = table_counts(engine)
    save_knowledge_base(engine, knowledge_base)
    assert table_counts(engine) == first
    assert first["kb_conditions"] == len(knowledge_base.conditions)
    assert read_stored_knowledge_base(engine) == knowledge_base


def test_a_broken_entry_names_file_entry_and_problem(broken_kb):
    path = broken_kb / "conditions" / "restless_legs.yml"
    path.write_text(path.read_text().replace("rarity: common", "rarity: sometimes", 1))
    with pytest.raises(KnowledgeBaseError) as raised:
        read_knowledge_base(broken_kb)
    [problem] = raised.value.problems
    assert problem.file.endswith("conditions/restless_legs.yml")
    assert problem.entry == "condition restless_legs"
    assert "rarity" in problem.message


def test_an_unknown_symptom_id_is_reported_with_its_condition(broken_kb):
    path = broken_kb / "conditions" / "fibromyalgia.yml"
    path.write_text(path.read_text().replace("symptoms:", "symptoms:\n    no_such_symptom: 0.5", 1))
    with pytest.raises(KnowledgeBaseError) as raised:
        read_knowledge_base(broken_kb)
    assert any(p.entry == "condition fibromyalgia" and "no_such_symptom" in p.message for p in raised.value.problems)


def test_invalid_yaml_is_reported_with_its_file(broken_kb):
    (broken_kb / "faqs.yml").write_text("faqs: [unclosed\n")
    with pytest.raises(KnowledgeBaseError) as raised:
        read_knowledge_base(broken_kb)
    assert any(p.file.endswith("faqs.yml") and "YAML" in p.message for p in raised.value.problems)


def test_a_failed_load_leaves_the_database_as_it_was(tmp_path, knowledge_base, capsys):
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    assert main(["kb", "load", "--url", url]) == 0
    engine = create_engine(url, future=True)
    before = table_counts(engine)

    broken = tmp_path / "broken"
    shutil.copytree(KB_DIR, broken)
    duplicate = broken / "conditions" / "duplicate.yml"
    duplicate.write_text((broken / "conditions" / "lupus.yml").read_text())
    assert main(["kb", "load", "--url", url, "--kb-dir", str(broken)]) == 1
    assert "already defined" in capsys.readouterr().err
    assert table_counts(engine) == before


def test_a_database_error_mid_load_rolls_back(sqlite_engine, knowledge_base):
    save_knowledge_base(sqlite_engine, knowledge_base)
    before = table_counts(sqlite_engine)
    clashing = knowledge_base.copy(update={"faqs": knowledge_base.faqs + knowledge_base.faqs[:1]})
    with pytest.raises(IntegrityError):
        save_knowledge_base(sqlite_engine, clashing)
    assert table_counts(sqlite_engine) == before
    assert read_stored_knowledge_base(sqlite_engine) == knowledge_base
