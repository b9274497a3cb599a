"""Whatever a person (or an attacker) types, the extractor answers with a list of well-formed entities."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.nlu.extractor import MAX_CHARS

HOSTILE = [
    "",
    "   \n\t  ",
    "numb " * 20_000,  # 100 KB
    "a" * 100_000,
    "😀🦶🦵 numb 🔥🔥 feet 💥",
    "\x00\x01\x02 numb \x07\x1b[31m feet \x7f",
    "ногой онемела нога, нет боли",
    "脚麻了，没有发烧",
    "قدمي مخدرة",
    "'; DROP TABLE trackers; -- my foot is numb",
    "<script>alert('numb')</script>",
    "{{7*7}} ${jndi:ldap://x} %s%s%n",
    "no " * 3000,
    "not not not not numb",
    "\u202emy foot is numb\u202c",
    "n\u0336u\u0336m\u0336b\u0336",
    "NUMB FEET!!! NO BACK PAIN!!!",
    "-" * 500 + " left right both " * 100,
    "45 45 45 45 year old 45M F M female male " * 50,
    "my mom's dad's wife's son's foot is numb",
    "since since since for for ago ago",
    "I'm " + "9" * 400,
]


def _check(entities, text):
    assert isinstance(entities, list)
    limit = len(text[:MAX_CHARS])
    for entity in entities:
        assert entity["entity"] in {"symptom", "condition", "age", "sex", "time"}
        assert 0 <= entity["start"] <= entity["end"] <= limit
        assert isinstance(entity["value"], str) and entity["value"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_raises(finder, text):
    _check(finder.extract(text), text)


@pytest.mark.parametrize("value", [None, 42, b"numb feet", ["numb"], {"text": "numb"}])
def test_a_message_that_is_not_text_gives_nothing(finder, value):
    assert finder.extract(value) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_unicode_text(finder, text):
    _check(finder.extract(text), text)


WORDS = st.sampled_from(["no", "not", "numb", "feet", "left", "right", "both", "my", "mom's", "for", "3", "days",
                         "ago", "since", "maybe", "but", ",", ".", "can't", "feel", "lift", "foot", "pain", "back",
                         "weak", "week", "I'm", "45", "female", "MS", "stroke", "tingling", "and", "?", "none"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=40))
def test_any_mix_of_the_words_it_cares_about(finder, words):
    text = " ".join(words)
    _check(finder.extract(text), text)
