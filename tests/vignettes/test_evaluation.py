"""The evaluation harness: the simulated person, the scores, the in-process channel, the reports."""
from __future__ import annotations

import textwrap

import pytest

from bot.evaluation import report
from bot.evaluation.channels import EngineChannel
from bot.evaluation.person import read, reply
from bot.evaluation.play import play
from bot.evaluation.scoring import score_case, summarise
from bot.evaluation.vignettes import VignetteError, load_vignettes
from bot.nlu.extractor import SymptomFinder
from bot.triage.engine import TriageEngine

BUTTONS = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"},
           {"title": "Not sure", "payload": "/unsure"}]


def write(tmp_path, body: str):
    path = tmp_path / "set.yml"
    path.write_text(textwrap.dedent(body))
    return path


@pytest.fixture
def vignette(tmp_path):
    return load_vignettes(write(tmp_path, """
        vignettes:
        - id: v1
          age: 64
          sex: female
          opener: "my feet are numb"
          facts:
            - ["diabet", "yes, type 2"]
            - ["night", "not sure"]
            - ["walk", "only uphill"]
          expect:
            triage: [consultation, consultation_24]
            conditions: ["diabet"]
            present: ["diabet"]
        """))[0]


def question(text, kind="symptom", qid="x"):
    """A question as the REST channel returns it: text and buttons, then the custom JSON."""
    return [{"text": text, "buttons": BUTTONS}, {"custom": {"question": {"id": qid, "type": kind, "text": text}}}]


# ---------------------------------------------------------------------- the person
def test_the_first_matching_fact_answers_and_anything_else_is_no(vignette):
    assert reply(vignette, read(question("Do you have diabetes?")), clicks=False).message == "yes, type 2"
    assert reply(vignette, read(question("Is it worse at night when you walk?")), clicks=False).message == "not sure"
    assert reply(vignette, read(question("Do you smoke?")), clicks=False).message == "no"


def test_a_clicking_person_sends_the_button_payload_when_one_fits(vignette):
    assert reply(vignette, read(question("Do you have diabetes?")), clicks=True).message == "/affirm"
    assert reply(vignette, read(question("Worse at night?")), clicks=True).message == "/unsure"
    assert reply(vignette, read(question("Do you smoke?")), clicks=True).message == "/deny"
    typed = reply(vignette, read(question("Does it hurt to walk?")), clicks=True)
    assert (typed.message, typed.clicked) == ("only uphill", False)


def test_age_and_sex_questions_get_the_vignette_age_and_sex(vignette):
    assert reply(vignette, read([{"text": "How old are you?"}]), clicks=True).message == "64"
    sex_buttons = [{"title": "Female", "payload": '/give_sex{"sex": "female"}'}, {"title": "Male", "payload": "/m"}]
    asked = read([{"text": "What sex were you assigned at birth?", "buttons": sex_buttons},
                  {"custom": {"question": {"id": "sex", "type": "sex"}}}])
    assert reply(vignette, asked, clicks=True).message == '/give_sex{"sex": "female"}'
    assert reply(vignette, asked, clicks=False).message == "female"


def test_an_assessment_or_an_emergency_anywhere_in_the_response_ends_the_reading():
    assert read([{"text": "Call 911"}, {"custom": {"emergency": {"triage": "emergency_ambulance"}}}]).emergency
    assert read([{"text": "..."}, {"custom": {"assessment": {"triage": "self_care"}}}]).assessment


# ---------------------------------------------------------------------- playing and scoring
class ScriptedChannel:
    name = "scripted"

    def __init__(self, responses):
        self.responses, self.sent = list(responses), []

    def send(self, sender, text):
        self.sent.append(text)
        return self.responses.pop(0) if self.responses else [{"text": "Tell me more."}]


def assessment(triage, *names, evidence=()):
    return [{"custom": {"assessment": {
        "triage": triage, "conditions": [{"id": n.lower(), "name": n, "probability": 0.5} for n in names],
        "evidence": list(evidence), "advice": "", "kb_version": "t"}}}]


def test_a_played_case_is_scored_like_format_md_says(vignette):
    channel = ScriptedChannel([
        question("Do you have diabetes?"),
        question("How old are you?", kind="age", qid="age"),
        assessment("consultation", "Diabetic neuropathy", "PAD",
                   evidence=[{"id": "diabetes", "name": "Diabetes", "choice": "present"}]),
    ])
    played = play(vignette, 1, channel)
    assert channel.sent == ["my feet are numb", "yes, type 2", "64"]
    assert (played.ended_by, played.triage, played.questions) == ("assessment", "consultation", 2)
    case = score_case(played)
    assert (case.triage_ok, case.safe, case.top1, case.top3, case.evidence_passed) == (True, True, True, True, 1)
    assert not case.failed


def test_under_triage_a_missed_cause_and_a_stalled_conversation_fail(vignette):
    wrong = score_case(play(vignette, 0, ScriptedChannel([assessment("self_care", "Fibromyalgia")])))
    assert not wrong.safe and wrong.top3 is False and wrong.failed
    assert "UNSAFE" in wrong.failures[0]
    stalled = score_case(play(vignette, 0, ScriptedChannel([]), max_turns=3))
    assert stalled.played.ended_by == "turn_limit" and stalled.failed
    assert len(stalled.played.exchanges) == 3


def test_the_summary_counts_emergencies_and_over_triage(tmp_path):
    cases = load_vignettes(write(tmp_path, """
        vignettes:
        - {id: e1, age: 70, sex: male, opener: "a", expect: {triage: [emergency_ambulance], conditions: [stroke]}}
        - {id: e2, age: 70, sex: male, opener: "b", expect: {triage: [emergency_ambulance], conditions: [stroke]}}
        - {id: c1, age: 30, sex: female, opener: "c", expect: {triage: [self_care], conditions: [pressure]}}
        """))
    told = [[{"custom": {"emergency": {"triage": "emergency_ambulance", "pattern": "stroke"}}}],
            assessment("consultation", "Stroke"), [{"custom": {"emergency": {"triage": "emergency"}}}]]
    scores = [score_case(play(v, i, ScriptedChannel([t]))) for i, (v, t) in enumerate(zip(cases, told, strict=True))]
    metrics = {m.label: m for m in summarise(scores)}
    assert metrics["emergency sensitivity"].count == "1/2"
    assert metrics["over-triage to emergency"].count == "1/1"
    assert metrics["top-1 condition"].count == "2/3"
    assert "emergency sensitivity" in report.table({"set": scores})


def test_a_malformed_vignette_is_refused_with_its_place(tmp_path):
    with pytest.raises(VignetteError, match="v9"):
        load_vignettes(write(tmp_path, """
            vignettes:
            - {id: v9, age: 40, sex: female, opener: "x", expect: {triage: [urgent]}}
            """))


# ---------------------------------------------------------------------- in-process channel and reports
def test_the_in_process_channel_escalates_a_stroke_and_assesses_a_benign_case(knowledge_base, tmp_path):
    engine = TriageEngine(knowledge_base)
    channel = EngineChannel(knowledge_base, engine, SymptomFinder.from_kb(knowledge_base).extract)
    cases = load_vignettes(write(tmp_path, """
        vignettes:
        - id: s1
          age: 70
          sex: male
          opener: "my face is drooping and my leg is numb"
          expect: {triage: [emergency_ambulance], conditions: [stroke]}
        - id: r1
          age: 45
          sex: female
          opener: "restless legs at night, I have an urge to move my legs"
          facts:
            - ["urge to move", "yes"]
            - ["night|evening", "yes"]
            - ["better when you move", "yes"]
            - ["trouble sleeping", "yes"]
          expect: {triage: [consultation, self_care], conditions: [restless]}
        """))
    scores = [score_case(play(v, i, channel)) for i, v in enumerate(cases)]
    stroke, restless = scores
    assert stroke.played.ended_by == "emergency" and stroke.triage_ok
    assert restless.played.ended_by == "assessment" and restless.triage_ok and restless.top1
    assert restless.played.questions <= 2 + engine.max_questions

    report.write_markdown({"set": scores}, tmp_path / "evaluation.md", "test")
    report.write_chart({"set": scores}, tmp_path / "evaluation.png")
    report.write_failures({"set": scores}, tmp_path / "failed")
    assert "| triage accuracy | 100.0% (2/2) |" in (tmp_path / "evaluation.md").read_text()
    assert (tmp_path / "evaluation.png").stat().st_size > 1000
