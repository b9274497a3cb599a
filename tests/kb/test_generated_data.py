"""Rasa data derived from the KB is generated, never hand-edited, and never stale."""
from __future__ import annotations

from bot.kb.generated_data import FAQ_RESPONSES_FILE, stale_files


def test_generated_files_match_the_kb(knowledge_base):
    assert stale_files(knowledge_base) == {}, "run `python -m bot generate` and commit the result"


def test_every_faq_has_a_response_for_its_retrieval_intent(knowledge_base):
    text = FAQ_RESPONSES_FILE.read_text()
    for faq in knowledge_base.faqs:
        assert f"utter_faq/{faq.id}:" in text


def test_an_edited_faq_makes_the_generated_file_stale(knowledge_base):
    edited = knowledge_base.copy(update={"faqs": [knowledge_base.faqs[0].copy(update={"answer": "changed"})]})
    assert FAQ_RESPONSES_FILE in stale_files(edited)
