"""Rasa training data derived from the KB, so one fact lives in one place (data/kb/).

Today: the answers of the FAQ retrieval intent (`utter_faq/<faq id>`), written to data/faq_responses.yml.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict

import yaml

from bot.kb.schema import KnowledgeBase

FAQ_RESPONSES_FILE = Path(__file__).resolve().parents[2] / "data" / "faq_responses.yml"
HEADER = (
    "# GENERATED from data/kb/faqs.yml by `python -m bot generate`. Do not edit: edit the KB and regenerate.\n"
    "# CI fails when this file is stale.\n"
)


def faq_responses_yaml(kb: KnowledgeBase) -> str:
    responses: Dict[str, list] = {f"utter_faq/{faq.id}": [{"text": faq.answer}] for faq in kb.faqs}
    body = yaml.safe_dump({"version": "3.1", "responses": responses}, sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


def stale_files(kb: KnowledgeBase) -> Dict[Path, str]:
    """Generated files whose content differs from what the KB gives now, with the fresh content."""
    wanted = {FAQ_RESPONSES_FILE: faq_responses_yaml(kb)}
    return {
        path: text for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    }
