"""`python -m bot ...`: command-line tools for operators, trainers and clinicians."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from bot.kb.yaml_loader import DEFAULT_KB_DIR, KnowledgeBaseError, read_knowledge_base


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="area", required=True)
    kb = commands.add_parser("kb", help="the knowledge base").add_subparsers(dest="command", required=True)

    validate = kb.add_parser("validate", help="check data/kb/ and print every problem with how to fix it")
    validate.add_argument("--kb-dir", type=Path, default=DEFAULT_KB_DIR)
    validate.set_defaults(run=_validate)

    load = kb.add_parser("load", help="validate data/kb/ and load it into the database (one transaction)")
    load.add_argument("--kb-dir", type=Path, default=DEFAULT_KB_DIR)
    load.add_argument("--url", default=None, help="SQLAlchemy URL (default: $KB_DATABASE_URL or var/kb.sqlite3)")
    load.set_defaults(run=_load)

    diff = kb.add_parser("diff", help="what an edit of data/kb/ changes, in words, for a clinician's review")
    diff.add_argument("--kb-dir", type=Path, default=DEFAULT_KB_DIR, help="the edited KB (default: data/kb)")
    diff.add_argument("--base", default="HEAD", help="git ref to compare with (default: HEAD, the last commit)")
    diff.add_argument("--base-dir", type=Path, default=None, help="compare with this KB folder instead of git")
    diff.set_defaults(run=_diff)

    generate = commands.add_parser("generate", help="write the Rasa data derived from the KB (FAQ answers)")
    generate.add_argument("--kb-dir", type=Path, default=DEFAULT_KB_DIR)
    generate.add_argument("--check", action="store_true", help="only check; exit 1 if a generated file is stale")
    generate.set_defaults(run=_generate)

    conversations = commands.add_parser("conversations", help="stored conversations, for trainers' review")
    conversation_commands = conversations.add_subparsers(dest="command", required=True)
    export = conversation_commands.add_parser(
        "export", help="turn stored conversations into test stories (YAML) and a readable transcript")
    export.add_argument("--since", default="7d",
                        help="how far back: 30m, 24h, 7d, 2w, or a date 2026-11-01 (default: 7d)")
    _tracker_store_arguments(export)
    export.add_argument("--out", type=Path, default=None, help="output folder (default: var/exports/<time>)")
    export.add_argument("--anonymise", "--anonymize", action="store_true",
                        help="drop names, emails, phone numbers, dates, addresses; round ages; pseudonymise senders")
    export.set_defaults(run=_export)

    delete = conversation_commands.add_parser(
        "delete", help="erase every stored event of one person's conversations (GDPR erasure)")
    delete.add_argument("--sender", action="append", required=True,
                        help="the sender id (widget session id, Slack user id, Telegram chat id); repeatable")
    _tracker_store_arguments(delete)
    delete.set_defaults(run=_delete)

    purge = conversation_commands.add_parser(
        "purge", help="delete every conversation whose last message is older than the retention period")
    purge.add_argument("--older-than", required=True,
                       help="the retention period: 30d, 12w, 24h, or a date 2026-11-01 (UTC)")
    _tracker_store_arguments(purge)
    purge.set_defaults(run=_purge)
    return parser


def _tracker_store_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tracker-url", default=None,
                        help="SQLAlchemy URL of the tracker store (default: $TRACKER_STORE_URL, else endpoints.yml)")
    parser.add_argument("--endpoints", type=Path, default=None, help="endpoints file to read the tracker store from")


def _read_kb(kb_dir: Path):
    """The validated KB, or None after printing every problem (file:line: entry: problem. Fix: ...)."""
    try:
        return read_knowledge_base(kb_dir)
    except KnowledgeBaseError as error:
        print(f"The knowledge base has {len(error.problems)} problem(s); nothing was loaded:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def _summary(knowledge_base) -> str:
    return (f"{len(knowledge_base.conditions)} conditions, {len(knowledge_base.symptoms)} symptoms, "
            f"{len(knowledge_base.red_flags)} red-flag rules, {len(knowledge_base.faqs)} FAQs")


def _validate(args) -> int:
    knowledge_base = _read_kb(args.kb_dir)
    if knowledge_base is None:
        return 1
    print(f"OK: knowledge base {knowledge_base.meta.version} ({_summary(knowledge_base)})")
    return 0


def _load(args) -> int:
    from bot.kb.database import database_url, engine_for
    from bot.kb.store import save_knowledge_base

    knowledge_base = _read_kb(args.kb_dir)
    if knowledge_base is None:
        return 1
    url = args.url or database_url()
    save_knowledge_base(engine_for(url), knowledge_base)
    print(f"Loaded knowledge base {knowledge_base.meta.version} [{knowledge_base.fingerprint()}] "
          f"({_summary(knowledge_base)}) into {engine_for(url).url.render_as_string(hide_password=True)}")
    return 0


def _diff(args) -> int:
    from bot.kb.diff import GitError, diff_report

    try:
        report, _ = diff_report(args.kb_dir, base=args.base, base_dir=args.base_dir)
    except GitError as error:
        print(f"Cannot read the knowledge base at git {args.base}: {error}", file=sys.stderr)
        return 2
    print(report, end="")
    return 0


def _generate(args) -> int:
    from bot.kb.generated_data import stale_files

    knowledge_base = _read_kb(args.kb_dir)
    if knowledge_base is None:
        return 1
    stale = stale_files(knowledge_base)
    for path, text in stale.items():
        if args.check:
            print(f"stale: {path} (run `python -m bot generate`)", file=sys.stderr)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if not stale:
        print("generated files are up to date")
    return 1 if stale and args.check else 0


def _export(args) -> int:
    from bot.conversations.export import ExportError, export_conversations

    try:
        summary = export_conversations(since=args.since, tracker_url=args.tracker_url, endpoints=args.endpoints,
                                       out_dir=args.out, anonymise=args.anonymise)
    except ExportError as error:
        print(f"Cannot export conversations: {error}", file=sys.stderr)
        return 2
    print(summary)
    return 0


def _delete(args) -> int:
    from bot.conversations.retention import delete_senders

    return _with_tracker_store(args, lambda engine: f"Deleted {delete_senders(engine, args.sender)}.")


def _purge(args) -> int:
    from bot.conversations.export import ExportError, parse_since
    from bot.conversations.retention import purge_before

    try:
        cutoff = parse_since(args.older_than)
    except ExportError as error:
        print(str(error).replace("--since", "--older-than"), file=sys.stderr)
        return 2
    return _with_tracker_store(args, lambda engine: (
        f"Deleted {purge_before(engine, cutoff.timestamp())} whose last message was before "
        f"{cutoff.strftime('%Y-%m-%d %H:%M')} UTC."))


def _with_tracker_store(args, change) -> int:
    from bot.conversations.store import TrackerStoreError, connect, safe_url, tracker_store_url

    try:
        url = tracker_store_url(args.tracker_url, args.endpoints)
        engine = connect(url)
    except TrackerStoreError as error:
        print(f"Cannot open the tracker store: {error}", file=sys.stderr)
        return 2
    try:
        print(f"{change(engine)} ({safe_url(url)})")
    finally:
        engine.dispose()
    return 0
