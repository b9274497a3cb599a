"""`python -m bot ...`: command-line tools for operators, trainers and clinicians."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from bot.kb.database import database_url, engine_for
from bot.kb.generated_data import stale_files
from bot.kb.store import content_hash, save_knowledge_base
from bot.kb.yaml_loader import DEFAULT_KB_DIR, KnowledgeBaseError, read_knowledge_base


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="area", required=True)
    kb = commands.add_parser("kb", help="the knowledge base").add_subparsers(dest="command", required=True)

    validate = kb.add_parser("validate", help="check data/kb/ and print every problem")
    validate.add_argument("--kb-dir", type=Path, default=DEFAULT_KB_DIR)

    load = kb.add_parser("load", help="validate data/kb/ and load it into the database (one transaction)")
    load.add_argument("--kb-dir", type=Path, default=DEFAULT_KB_DIR)
    load.add_argument("--url", default=None, help="SQLAlchemy URL (default: $KB_DATABASE_URL or var/kb.sqlite3)")

    generate = commands.add_parser("generate", help="write the Rasa data derived from the KB (FAQ answers)")
    generate.add_argument("--kb-dir", type=Path, default=DEFAULT_KB_DIR)
    generate.add_argument("--check", action="store_true", help="only check; exit 1 if a generated file is stale")

    args = parser.parse_args(argv)
    try:
        knowledge_base = read_knowledge_base(args.kb_dir)
    except KnowledgeBaseError as error:
        print(f"The knowledge base has {len(error.problems)} problem(s); nothing was loaded:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    summary = (f"{len(knowledge_base.conditions)} conditions, {len(knowledge_base.symptoms)} symptoms, "
               f"{len(knowledge_base.red_flags)} red-flag rules, {len(knowledge_base.faqs)} FAQs")
    if args.area == "generate":
        return _generate(knowledge_base, check_only=args.check)
    if args.command == "validate":
        print(f"OK: knowledge base {knowledge_base.meta.version} ({summary})")
        return 0
    url = args.url or database_url()
    save_knowledge_base(engine_for(url), knowledge_base)
    print(f"Loaded knowledge base {knowledge_base.meta.version} [{content_hash(knowledge_base)}] "
          f"({summary}) into {engine_for(url).url.render_as_string(hide_password=True)}")
    return 0


def _generate(knowledge_base, check_only: bool) -> int:
    stale = stale_files(knowledge_base)
    for path, text in stale.items():
        if check_only:
            print(f"stale: {path} (run `python -m bot generate`)", file=sys.stderr)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if not stale:
        print("generated files are up to date")
    return 1 if stale and check_only else 0
