"""What the symptom extractor finds in a message, behaviour by behaviour."""
from __future__ import annotations

import pytest

from bot.triage.evidence import evidence_from_entities

# ---------------------------------------------------------------------- format


def test_entities_follow_the_contract(finder):
    text = "my left foot has been numb for 3 days"
    [entity] = [e for e in finder.extract(text) if e["entity"] == "symptom"]
    assert set(entity) == {"entity", "value", "start", "end", "confidence", "extractor", "negated", "uncertain",
                           "hypothetical", "subject", "laterality", "onset", "duration", "since_hours", "severity",
                           "body_site"}
    assert entity["since_hours"] == 72 and entity["duration"] == "3 days"
    assert entity["value"] == "foot_numbness"
    assert text[entity["start"]:entity["end"]] == "foot has been numb"
    assert entity["extractor"] == "SymptomExtractor" and entity["confidence"] == 1.0


def test_evidence_module_reads_the_entities(finder):
    evidence = evidence_from_entities(finder.extract("my left foot is numb, no back pain, maybe a bit dizzy"))
    assert evidence["foot_numbness"] == "present"
    assert evidence["lower_back_pain"] == "absent"
    assert evidence["dizziness"] == "unknown"
    assert evidence["one_sided"] == "present"  # implied by laterality "left"


# ---------------------------------------------------------------------- negation


@pytest.mark.parametrize("text, symptom_id", [
    ("no back pain", "lower_back_pain"),
    ("I don't have a fever", "fever"),
    ("without any weakness", "leg_weakness"),
    ("denies headache", "headache"),
    ("my feet are not numb", "foot_numbness"),
    ("I haven't noticed any tingling", "tingling"),
    ("back pain? none", "lower_back_pain"),
    ("fever: no", "fever"),
])
def test_negated_mentions(symptoms, text, symptom_id):
    assert symptoms(text)[symptom_id]["negated"] is True


def test_neither_nor_negates_both(symptoms):
    found = symptoms("neither headache nor dizziness")
    assert found["headache"]["negated"] and found["dizziness"]["negated"]


def test_negation_runs_across_a_list(symptoms):
    found = symptoms("no fever, chills or rash")
    assert all(found[s]["negated"] for s in ("fever", "chills", "rash"))


def test_negation_ends_at_but(symptoms):
    found = symptoms("no back pain but my left leg is numb")
    assert found["lower_back_pain"]["negated"] is True
    assert found["leg_numbness"]["negated"] is False


def test_negation_ends_where_a_new_clause_starts(symptoms):
    found = symptoms("no fever and my feet are numb")
    assert found["fever"]["negated"] is True
    assert found["foot_numbness"]["negated"] is False


def test_pseudo_negation_negates_nothing(symptoms):
    assert symptoms("the tingling is not getting better")["tingling"]["negated"] is False
    assert symptoms("I don't know why my feet are numb")["foot_numbness"]["negated"] is False


@pytest.mark.parametrize("text, symptom_id", [
    ("I can't lift my foot", "foot_drop"),
    ("I can't feel my foot", "foot_numbness"),
    ("I can't walk properly", "difficulty_walking"),
    ("I'm unable to feel my toes", "toe_numbness"),
    ("I have no energy", "fatigue"),
])
def test_a_negation_inside_a_symptom_phrase_is_the_symptom(symptoms, text, symptom_id):
    found = symptoms(text)
    assert found[symptom_id]["negated"] is False


def test_cant_in_a_symptom_phrase_does_not_negate_what_follows(symptoms):
    found = symptoms("I can't feel my feet and my legs tingle")
    assert found["foot_numbness"]["negated"] is False
    assert found["tingling"]["negated"] is False
    assert "leg_numbness" not in found


def test_the_same_symptom_present_on_one_side_is_present(finder):
    evidence = evidence_from_entities(finder.extract("my left foot is numb but the right one isn't"))
    assert evidence["foot_numbness"] == "present"


# ---------------------------------------------------------------------- uncertainty


@pytest.mark.parametrize("text, symptom_id", [
    ("maybe a little weak", "leg_weakness"),
    ("not sure if my face is drooping", "face_droop"),
    ("I might have a slight fever", "fever"),
    ("dizziness maybe", "dizziness"),
])
def test_uncertain_mentions(symptoms, text, symptom_id):
    found = symptoms(text)[symptom_id]
    assert found["uncertain"] is True and found["negated"] is False


# ---------------------------------------------------------------------- subject


@pytest.mark.parametrize("text, symptom_id", [
    ("my mom's leg is numb", "leg_numbness"),
    ("my husband can't lift his right foot", "foot_drop"),
    ("she says her feet burn at night", "burning_pain"),
])
def test_someone_else_is_the_subject(symptoms, text, symptom_id):
    assert symptoms(text)[symptom_id]["subject"] == "other"


def test_the_nearest_person_decides(symptoms):
    assert symptoms("my wife says my speech is slurred")["slurred_speech"]["subject"] == "self"


def test_a_relative_with_the_symptoms_gives_the_patients_sex(entities):
    [sex] = entities("my mom's leg is numb", "sex")
    assert sex["value"] == "female" and sex["subject"] == "other"


# ---------------------------------------------------------------------- laterality, body site


@pytest.mark.parametrize("text, symptom_id, side", [
    ("my left foot is numb", "foot_numbness", "left"),
    ("numbness in my right leg", "leg_numbness", "right"),
    ("tingling in both feet", "tingling", "both"),
    ("my feet are numb", "foot_numbness", "both"),
    ("my face went numb on the left", "face_numbness", "left"),
    ("left sided weakness", "leg_weakness", "left"),
])
def test_laterality(symptoms, text, symptom_id, side):
    assert symptoms(text)[symptom_id]["laterality"] == side


def test_right_now_is_no_side(symptoms):
    assert symptoms("right now my foot is numb")["foot_numbness"]["laterality"] is None


def test_each_symptom_keeps_its_own_side(symptoms):
    found = symptoms("my left leg is numb and my right arm is weak")
    assert found["leg_numbness"]["laterality"] == "left"
    assert found["arm_weakness"]["laterality"] == "right"


@pytest.mark.parametrize("text, symptom_id, site", [
    ("tingling in my toes", "tingling", "toe"),
    ("burning in my calves", "burning_pain", "calf"),
    ("my thigh is numb", "thigh_numbness", "thigh"),
    ("upper back pain", "upper_back_pain", "upper back"),
])
def test_body_site(symptoms, text, symptom_id, site):
    assert symptoms(text)[symptom_id]["body_site"] == site


def test_a_body_part_belongs_to_its_own_description(symptoms):
    found = symptoms("my legs tingle and my feet are numb")
    assert set(found) == {"tingling", "foot_numbness"}
    assert found["tingling"]["body_site"] == "leg"


# ---------------------------------------------------------------------- onset, duration, severity


def test_sudden_onset(symptoms):
    found = symptoms("my left leg went numb suddenly")
    assert found["leg_numbness"]["onset"] == "sudden"
    assert found["sudden_onset"]["negated"] is False


def test_gradual_onset(symptoms):
    assert symptoms("the tingling in my feet came on gradually")["tingling"]["onset"] == "gradual"


@pytest.mark.parametrize("text, duration", [
    ("my foot has been numb for 3 days", "3 days"),
    ("my foot has been numb for three days", "3 days"),
    ("my foot has been numb since Tuesday", "since tuesday"),
    ("my feet have been numb for years", "years"),
    ("my leg went numb an hour ago", "1 hour ago"),
    ("my leg went numb half an hour ago", "30 minutes ago"),
    ("numb toes for a couple of weeks", "2 weeks"),
    ("my leg has been weak since yesterday", "since yesterday"),
])
def test_duration_is_normalised(symptoms, text, duration):
    [entity] = [e for e in symptoms(text).values() if e["value"] not in ("gradual_onset", "sudden_onset")]
    assert entity["duration"] == duration


def test_duration_said_on_its_own_goes_to_the_symptoms(symptoms):
    found = symptoms("My right leg is numb. It started two days ago.")
    assert found["leg_numbness"]["duration"] == "2 days ago"


def test_duration_stays_in_its_clause(symptoms):
    found = symptoms("my foot is numb and I've had back pain for 3 years")
    assert found["lower_back_pain"]["duration"] == "3 years"
    assert found["foot_numbness"]["duration"] is None


@pytest.mark.parametrize("text, symptom_id, severity", [
    ("severe pain in my left calf", "calf_pain", "severe"),
    ("mild tingling in my toes", "tingling", "mild"),
    ("my back pain is 8/10", "lower_back_pain", "severe"),
    ("a bit of back pain", "lower_back_pain", "mild"),
])
def test_severity(symptoms, text, symptom_id, severity):
    assert symptoms(text)[symptom_id]["severity"] == severity


# ---------------------------------------------------------------------- words and typos


@pytest.mark.parametrize("text", ["keystroke", "my keystroke count", "I love numbers", "the weekend was fun",
                                  "I left early", "all right then", "my back garden", "we toed the line"])
def test_no_symptom_inside_another_word_or_in_everyday_words(finder, text):
    assert [e for e in finder.extract(text) if e["entity"] in ("symptom", "condition")] == []


@pytest.mark.parametrize("text, not_meant", [
    ("I feel like I'm falling apart and my feet are numb", "recent_injury"),
    ("I keep falling asleep in the afternoon and my feet are numb", "loss_of_balance"),
    ("when I stood up both legs were tingling from the knees down", "numbness_spreading_up"),
    ("my feet are numb from the bum down when I walk", "saddle_numbness"),
    ("pins and needles like when your foot goes to sleep, except it doesn't wake up", "self_reported_emergency"),
    ("my left leg was totally dead, I nearly fell over getting up", "recent_injury"),
    ("my feet are numb and tingly, my mates say it'll wear off", "symptoms_resolved"),
    ("my calves ache and go numb when I walk and it goes away when I sit down", "symptoms_resolved"),
])
def test_an_idiom_is_not_the_symptom_its_words_name(symptoms, text, not_meant):
    found = symptoms(text)
    assert not_meant not in found and found, f"{text!r}: still understood as {not_meant}, or nothing at all"


def test_worse_with_walking_and_better_with_rest_is_claudication(symptoms):
    assert "pain_when_walking" in symptoms("my calves get worse when I walk and it goes away when I sit down")


def test_the_particle_of_a_verb_takes_no_body_part(symptoms):
    assert "foot_numbness" in symptoms("after I stood up my right foot was completely dead")


def test_a_phrase_that_holds_the_whole_idiom_still_counts(symptoms):
    assert "leg_numbness" in symptoms("my leg fell asleep while I watched TV")
    assert "loss_of_balance" in symptoms("I keep falling over")


@pytest.mark.parametrize("text", ["SLURRED SPEECH AND NUMB LEGS", "Feet are numb.", "My Left Foot Is Numb"])
def test_capitals_change_nothing(symptoms, text):
    assert symptoms(text) and all(not e["negated"] for e in symptoms(text).values())
    assert symptoms(text).keys() == symptoms(text.lower()).keys()


@pytest.mark.parametrize("text, symptom_id", [
    ("numbnes in my leg", "leg_numbness"),
    ("tinglng in my toes", "tingling"),
    ("weaknes in my legs", "leg_weakness"),
    ("dizzyness", "dizziness"),
    ("I have diabetis", "diabetes"),
    ("my neck is stif", "stiff_neck"),
    ("my toes are numbbbb", "toe_numbness"),
])
def test_typos_are_read_through(symptoms, text, symptom_id):
    assert symptom_id in symptoms(text)


def test_a_misspelt_side(symptoms):
    assert symptoms("numbness in my rigth leg")["leg_numbness"]["laterality"] == "right"


def test_week_is_weak_only_where_it_describes(symptoms):
    assert "leg_weakness" in symptoms("my legs feel week")
    assert "leg_weakness" not in symptoms("it's been a week since my foot went numb")


@pytest.mark.parametrize("word", ["weary", "stoke", "caves", "wobble", "dizzied", "numbers"])
def test_real_words_are_never_corrected(finder, word):
    assert finder.typos.correct(word) is None


# ---------------------------------------------------------------------- conditions, age, sex


@pytest.mark.parametrize("text, condition_id", [
    ("could it be MS?", "multiple_sclerosis"),
    ("I was told I have multiple sclerosis", "multiple_sclerosis"),
    ("I have restless legs syndrome", "restless_legs"),
    ("I think I'm having a stroke", "stroke_tia"),
    ("guillain barre", "guillain_barre"),
    ("Guillain-Barré syndrome", "guillain_barre"),
])
def test_conditions(entities, text, condition_id):
    assert condition_id in {e["value"] for e in entities(text, "condition")}


def test_condition_abbreviations_are_case_sensitive(entities):
    assert entities("ms smith put a pad on my foot", "condition") == []


def test_a_denied_condition_is_negated(entities):
    [condition] = entities("I don't think it's multiple sclerosis", "condition")
    assert condition["negated"] is True


@pytest.mark.parametrize("text, age", [
    ("I'm 45", "45"), ("forty-five", "45"), ("45 yo", "45"), ("age: 70", "70"), ("45M", "45"),
    ("I am 62 years old", "62"), ("I'm a 60 year old woman", "60"), ("my dad is 70 and has numb feet", "70"),
])
def test_age(entities, text, age):
    assert [e["value"] for e in entities(text, "age")] == [age]


@pytest.mark.parametrize("text", ["im 5 days into this", "I'm one of those people", "I'm 6 foot tall",
                                  "numb for 45 minutes", "I'm 100% sure", "I am 2 weeks pregnant"])
def test_no_age_where_none_is_stated(entities, text):
    assert entities(text, "age") == []


@pytest.mark.parametrize("text, sex", [
    ("female", "female"), ("F", "female"), ("woman", "female"), ("I'm a guy", "male"), ("45M", "male"),
    ("I'm 45, female", "female"), ("male", "male"), ("I am a man", "male"),
])
def test_sex(entities, text, sex):
    assert [e["value"] for e in entities(text, "sex")] == [sex]


@pytest.mark.parametrize("text", ["I'm 45", "I'm a bit worried", "my feet are numb", "I met a man yesterday"])
def test_no_sex_where_none_is_stated(entities, text):
    assert entities(text, "sex") == []


# ---------------------------------------------------------------------- the knowledge base drives it


def test_a_symptom_added_to_the_kb_is_understood_without_code(knowledge_base):
    from bot.kb.schema import Symptom
    from bot.nlu.extractor import SymptomFinder

    hiccups = Symptom(id="hiccups", name="Hiccups", kind="symptom", question="Do you have hiccups?",
                      phrases=["hiccups", "keep hiccuping"])
    kb = knowledge_base.copy(update={"symptoms": [*knowledge_base.symptoms, hiccups]})
    found = SymptomFinder.from_kb(kb).extract("no fever but I have had hiccups for two days")
    [mention] = [e for e in found if e["value"] == "hiccups"]
    assert mention["negated"] is False and mention["duration"] == "2 days"


@pytest.mark.parametrize("text", [
    "both my legs are getting weaker by the day",
    "BOTH LEGS GETTING WEAKER AND WEAKER",
])
def test_a_context_phrase_does_not_take_the_symptom_word(symptoms, text):
    """"weaker by the day" is progression, "both my legs" both sides: the weakness must not be lost."""
    found = symptoms(text)
    assert {"leg_weakness", "rapid_progression"} <= set(found), found
    assert not found["leg_weakness"]["negated"]


def test_context_items_are_still_chosen_as_before(symptoms):
    """Only symptoms are added back: a context phrase inside a symptom phrase stays inside it."""
    assert "gradual_onset" not in symptoms("the numbness is creeping up towards my knees")


def test_the_longer_exact_phrase_wins_the_same_words(symptoms):
    """"is having a heart attack" (an emergency now) says more than "heart attack" (a past event)."""
    assert "self_reported_emergency" in symptoms("I'm having a heart attack")
    assert "self_reported_emergency" in symptoms("I think my dad is having a heart attack")
    past = symptoms("I had a heart attack in 2019")
    assert "heart_disease" in past and "self_reported_emergency" not in past
