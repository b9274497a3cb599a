"""Writes a validated `KnowledgeBase` into the database in one transaction, and reads it back."""
from __future__ import annotations

from typing import Dict, List, Optional

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from bot.kb import models as m
from bot.kb.schema import TRIAGE_LEVELS, KnowledgeBase

CONDITION_TEXT_SECTIONS = ("aliases", "causes", "risk_factors", "diagnosis", "treatment", "home_care")
GENERAL_CARE_SECTIONS = ("home_care", "treatments", "doctor_questions", "see_a_doctor_with")

# Children before parents, so deleting in this order never breaks a foreign key.
_TABLES_IN_DELETE_ORDER = [
    m.RedFlagTerm, m.RedFlagRow, m.ConditionSource, m.ConditionSexFactor, m.ConditionSymptom, m.ConditionText,
    m.ConditionRow, m.SymptomPhrase, m.SymptomRow, m.SourceRow, m.FaqRow, m.GeneralCareItem, m.TriageLevelRow,
    m.RarityPrior, m.KbInfo,
]


def save_knowledge_base(engine: Engine, kb: KnowledgeBase) -> None:
    """Replaces the stored KB with `kb`. All or nothing: on any error the database is unchanged."""
    m.Base.metadata.create_all(engine)
    with Session(engine, future=True) as session, session.begin():
        for table in _TABLES_IN_DELETE_ORDER:
            session.execute(delete(table))
        for rows in (_reference_rows(kb), _dependent_rows(kb)):  # referenced rows first: foreign keys hold
            session.add_all(rows)
            session.flush()


def _reference_rows(kb: KnowledgeBase) -> List[m.Base]:
    """Rows that others refer to: sources and symptoms, plus the KB's own settings."""
    rows: List[m.Base] = [
        m.KbInfo(key="version", value=kb.meta.version),
        m.KbInfo(key="content_hash", value=kb.fingerprint()),
        m.KbInfo(key="default_symptom_probability", value=repr(kb.meta.default_symptom_probability)),
        m.KbInfo(key="when_to_see_doctor", value=kb.general_care.when_to_see_doctor),
    ]
    rows += [m.RarityPrior(rarity=r, prior=p) for r, p in kb.meta.rarity_priors.items()]
    rows += [
        m.TriageLevelRow(level=level, rank=TRIAGE_LEVELS.index(level), label=info.label, advice=info.advice)
        for level, info in kb.meta.triage_levels.items()
    ]
    rows += [m.SourceRow(id=s.id, title=s.title, publisher=s.publisher, url=s.url) for s in kb.sources]
    for symptom in kb.symptoms:
        row = m.SymptomRow(id=symptom.id, name=symptom.name, kind=symptom.kind, question=symptom.question)
        row.phrases = [m.SymptomPhrase(position=i, phrase=p) for i, p in enumerate(symptom.phrases)]
        rows.append(row)
    return rows


def _dependent_rows(kb: KnowledgeBase) -> List[m.Base]:
    rows: List[m.Base] = [_condition_row(c) for c in kb.conditions]
    for position, rule in enumerate(kb.red_flags):
        row = m.RedFlagRow(id=rule.id, pattern=rule.pattern, condition_id=rule.condition, triage=rule.triage,
                           reason=rule.reason, source_id=rule.source, position=position,
                           within_hours=rule.within_hours, after_window=rule.after_window,
                           after_window_hours=rule.after_window_hours,
                           window_source=rule.window_source, unless=dict(rule.unless))
        row.terms = [
            m.RedFlagTerm(combination=c, position=p, symptom_id=symptom_id)
            for c, combination in enumerate(rule.any_of)
            for p, symptom_id in enumerate(combination)
        ]
        rows.append(row)
    rows += [m.FaqRow(id=f.id, question=f.question, answer=f.answer, position=i) for i, f in enumerate(kb.faqs)]
    for section in GENERAL_CARE_SECTIONS:
        rows += [m.GeneralCareItem(section=section, position=i, text=t)
                 for i, t in enumerate(getattr(kb.general_care, section))]
    return rows


def _condition_row(condition) -> m.ConditionRow:
    d = condition.demographics
    row = m.ConditionRow(
        id=condition.id, name=condition.name, group=condition.group, description=condition.description,
        rarity=condition.rarity, urgency=condition.urgency, urgency_wording=condition.urgency_wording,
        when_to_seek_care=condition.when_to_seek_care, age_min=d.age_min, age_max=d.age_max,
        outside_age_factor=d.outside_age_factor,
    )
    row.texts = [
        m.ConditionText(section=section, position=i, text=text)
        for section in CONDITION_TEXT_SECTIONS
        for i, text in enumerate(getattr(condition, section))
    ]
    links = [(sid, "likely", p) for sid, p in condition.symptoms.items()]
    links += [(sid, "never", None) for sid in condition.never] + [(sid, "always", None) for sid in condition.always]
    row.symptoms = [
        m.ConditionSymptom(symptom_id=sid, role=role, position=i, probability=p)
        for i, (sid, role, p) in enumerate(links)
    ]
    row.sex_factors = [m.ConditionSexFactor(sex=sex, factor=f) for sex, f in d.sex.items()]
    row.sources = [m.ConditionSource(source_id=sid, position=i) for i, sid in enumerate(condition.sources)]
    return row


def read_stored_knowledge_base(engine: Engine) -> KnowledgeBase:
    """The KB as stored; raises LookupError if nothing has been loaded yet."""
    with Session(engine, future=True) as session:
        info = dict(session.execute(select(m.KbInfo.key, m.KbInfo.value)).all())
        if "version" not in info:
            raise LookupError("the knowledge base is empty: run `python -m bot kb load`")
        return KnowledgeBase(
            meta={
                "version": info["version"],
                "default_symptom_probability": float(info["default_symptom_probability"]),
                "rarity_priors": dict(session.execute(select(m.RarityPrior.rarity, m.RarityPrior.prior)).all()),
                "triage_levels": {
                    r.level: {"label": r.label, "advice": r.advice}
                    for r in session.scalars(select(m.TriageLevelRow).order_by(m.TriageLevelRow.rank))
                },
            },
            sources=[
                {"id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url}
                for s in session.scalars(select(m.SourceRow).order_by(m.SourceRow.id))
            ],
            symptoms=[
                {"id": s.id, "name": s.name, "kind": s.kind, "question": s.question,
                 "phrases": [p.phrase for p in s.phrases]}
                for s in session.scalars(
                    select(m.SymptomRow).options(selectinload(m.SymptomRow.phrases)).order_by(m.SymptomRow.id))
            ],
            conditions=[_condition_dict(c) for c in session.scalars(
                select(m.ConditionRow).options(
                    selectinload(m.ConditionRow.texts), selectinload(m.ConditionRow.symptoms),
                    selectinload(m.ConditionRow.sex_factors), selectinload(m.ConditionRow.sources),
                ).order_by(m.ConditionRow.id))],
            red_flags=[_rule_dict(r) for r in session.scalars(
                select(m.RedFlagRow).options(selectinload(m.RedFlagRow.terms)).order_by(m.RedFlagRow.position))],
            faqs=[{"id": f.id, "question": f.question, "answer": f.answer}
                  for f in session.scalars(select(m.FaqRow).order_by(m.FaqRow.position))],
            general_care={
                **_general_care_lists(session),
                "when_to_see_doctor": info["when_to_see_doctor"],
            },
        )


def _condition_dict(row: m.ConditionRow) -> Dict:
    texts: Dict[str, List[str]] = {section: [] for section in CONDITION_TEXT_SECTIONS}
    for text in row.texts:
        texts[text.section].append(text.text)
    links = sorted(row.symptoms, key=lambda link: link.position)
    return {
        "id": row.id, "name": row.name, "group": row.group, "description": row.description,
        "rarity": row.rarity, "urgency": row.urgency, "urgency_wording": row.urgency_wording,
        "when_to_seek_care": row.when_to_seek_care,
        "demographics": {"age_min": row.age_min, "age_max": row.age_max,
                         "outside_age_factor": row.outside_age_factor,
                         "sex": {f.sex: f.factor for f in row.sex_factors}},
        "symptoms": {link.symptom_id: link.probability for link in links if link.role == "likely"},
        "never": [link.symptom_id for link in links if link.role == "never"],
        "always": [link.symptom_id for link in links if link.role == "always"],
        "sources": [s.source_id for s in row.sources],
        **texts,
    }


def _rule_dict(row: m.RedFlagRow) -> Dict:
    combinations: Dict[int, List[str]] = {}
    for term in sorted(row.terms, key=lambda t: (t.combination, t.position)):
        combinations.setdefault(term.combination, []).append(term.symptom_id)
    return {"id": row.id, "pattern": row.pattern, "condition": row.condition_id, "triage": row.triage,
            "reason": row.reason, "source": row.source_id, "any_of": [combinations[c] for c in sorted(combinations)],
            "within_hours": row.within_hours, "after_window": row.after_window,
            "after_window_hours": row.after_window_hours, "window_source": row.window_source,
            "unless": row.unless or {}}


def _general_care_lists(session: Session) -> Dict[str, List[str]]:
    lists: Dict[str, List[str]] = {section: [] for section in GENERAL_CARE_SECTIONS}
    for item in session.scalars(select(m.GeneralCareItem).order_by(m.GeneralCareItem.section,
                                                                     m.GeneralCareItem.position)):
        lists[item.section].append(item.text)
    return lists


def stored_content_hash(engine: Engine) -> Optional[str]:
    """The content hash of the stored KB (cheap: one row), or None if nothing is loaded."""
    with engine.connect() as connection:
        return connection.execute(select(m.KbInfo.value).where(m.KbInfo.key == "content_hash")).scalar()
