"""SQLAlchemy (1.4, 2.0-style) tables of the knowledge base."""
from __future__ import annotations

from sqlalchemy import JSON, Column, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class KbInfo(Base):
    __tablename__ = "kb_info"
    key = Column(String(64), primary_key=True)
    value = Column(Text, nullable=False)


class RarityPrior(Base):
    __tablename__ = "kb_rarity_priors"
    rarity = Column(String(16), primary_key=True)
    prior = Column(Float, nullable=False)


class TriageLevelRow(Base):
    __tablename__ = "kb_triage_levels"
    level = Column(String(32), primary_key=True)
    rank = Column(Integer, nullable=False)  # 0 = most urgent
    label = Column(Text, nullable=False)
    advice = Column(Text, nullable=False)


class SourceRow(Base):
    __tablename__ = "kb_sources"
    id = Column(String(64), primary_key=True)
    title = Column(Text, nullable=False)
    publisher = Column(Text, nullable=False)
    url = Column(Text)


class SymptomRow(Base):
    __tablename__ = "kb_symptoms"
    id = Column(String(64), primary_key=True)
    name = Column(Text, nullable=False)
    kind = Column(String(16), nullable=False)
    question = Column(Text, nullable=False)
    phrases = relationship("SymptomPhrase", order_by="SymptomPhrase.position", cascade="all, delete-orphan")


class SymptomPhrase(Base):
    __tablename__ = "kb_symptom_phrases"
    symptom_id = Column(String(64), ForeignKey("kb_symptoms.id", ondelete="CASCADE"), primary_key=True)
    position = Column(Integer, primary_key=True)
    phrase = Column(Text, nullable=False)


class ConditionRow(Base):
    __tablename__ = "kb_conditions"
    id = Column(String(64), primary_key=True)
    name = Column(Text, nullable=False)
    group = Column("condition_group", String(16), nullable=False)
    description = Column(Text, nullable=False)
    rarity = Column(String(16), nullable=False)
    urgency = Column(String(32), nullable=False)
    urgency_wording = Column(Text, nullable=False)
    when_to_seek_care = Column(Text, nullable=False)
    age_min = Column(Integer)
    age_max = Column(Integer)
    outside_age_factor = Column(Float, nullable=False)
    texts = relationship("ConditionText", order_by="ConditionText.position", cascade="all, delete-orphan")
    symptoms = relationship("ConditionSymptom", order_by="ConditionSymptom.position", cascade="all, delete-orphan")
    sex_factors = relationship("ConditionSexFactor", cascade="all, delete-orphan")
    sources = relationship("ConditionSource", order_by="ConditionSource.position", cascade="all, delete-orphan")


class ConditionText(Base):
    """One item of a condition's text lists: aliases, causes, risk factors, diagnosis, treatment, home care."""

    __tablename__ = "kb_condition_texts"
    condition_id = Column(String(64), ForeignKey("kb_conditions.id", ondelete="CASCADE"), primary_key=True)
    section = Column(String(16), primary_key=True)
    position = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)


class ConditionSymptom(Base):
    """How a symptom relates to a condition: a likelihood, or `never` / `always`."""

    __tablename__ = "kb_condition_symptoms"
    condition_id = Column(String(64), ForeignKey("kb_conditions.id", ondelete="CASCADE"), primary_key=True)
    symptom_id = Column(String(64), ForeignKey("kb_symptoms.id"), primary_key=True)
    role = Column(String(8), primary_key=True)  # likely | never | always
    position = Column(Integer, nullable=False)
    probability = Column(Float)  # only for role `likely`


class ConditionSexFactor(Base):
    __tablename__ = "kb_condition_sex_factors"
    condition_id = Column(String(64), ForeignKey("kb_conditions.id", ondelete="CASCADE"), primary_key=True)
    sex = Column(String(8), primary_key=True)
    factor = Column(Float, nullable=False)


class ConditionSource(Base):
    __tablename__ = "kb_condition_sources"
    condition_id = Column(String(64), ForeignKey("kb_conditions.id", ondelete="CASCADE"), primary_key=True)
    source_id = Column(String(64), ForeignKey("kb_sources.id"), primary_key=True)
    position = Column(Integer, nullable=False)


class RedFlagRow(Base):
    __tablename__ = "kb_red_flags"
    id = Column(String(64), primary_key=True)
    pattern = Column(String(64), nullable=False)
    condition_id = Column(String(64), ForeignKey("kb_conditions.id"), nullable=True)
    triage = Column(String(32), nullable=False)
    within_hours = Column(Float, nullable=True)
    after_window = Column(String(32), nullable=True)
    after_window_hours = Column(Float, nullable=True)
    window_source = Column(Text, nullable=True)
    unless = Column(JSON, nullable=False, default=dict)
    reason = Column(Text, nullable=False)
    source_id = Column(String(64), ForeignKey("kb_sources.id"), nullable=False)
    position = Column(Integer, nullable=False)
    terms = relationship("RedFlagTerm", cascade="all, delete-orphan")


class RedFlagTerm(Base):
    """Symptom `symptom_id` belongs to combination number `combination` of the rule."""

    __tablename__ = "kb_red_flag_terms"
    rule_id = Column(String(64), ForeignKey("kb_red_flags.id", ondelete="CASCADE"), primary_key=True)
    combination = Column(Integer, primary_key=True)
    position = Column(Integer, primary_key=True)
    symptom_id = Column(String(64), ForeignKey("kb_symptoms.id"), nullable=False)


class FaqRow(Base):
    __tablename__ = "kb_faqs"
    id = Column(String(64), primary_key=True)
    question = Column(Text, nullable=False)
    answer = Column(Text, nullable=False)
    position = Column(Integer, nullable=False)


class GeneralCareItem(Base):
    __tablename__ = "kb_general_care"
    section = Column(String(32), primary_key=True)  # home_care | treatments | doctor_questions | see_a_doctor_with
    position = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)
