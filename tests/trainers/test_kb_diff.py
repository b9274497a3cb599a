"""`python -m bot kb diff`: a clinician reads what a KB edit changes, in words."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from bot.cli import main
from bot.kb.diff import word_diff
from tests.conftest import KB_DIR
from tests.trainers.conftest import add_new_condition, write_kb


def run_diff(capsys, *args: str) -> str:
    assert main(["kb", "diff", *args]) == 0
    return capsys.readouterr().out


@pytest.fixture
def edited(tmp_path, small_kb_files):
    """(before, after) folders: the small KB, and the same KB after a typical clinical edit."""
    before = write_kb(tmp_path / "before", small_kb_files)
    files = small_kb_files
    [stroke] = files["conditions/stroke_tia.yml"]["conditions"]
    stroke["symptoms"]["face_droop"] = 0.6
    stroke["symptoms"]["sudden_onset"] = 0.8
    del stroke["symptoms"]["leg_numbness"]
    stroke["urgency"] = "emergency"
    files["symptoms.yml"]["symptoms"][0]["phrases"].append("face is lopsided")
    files["symptoms.yml"]["symptoms"].append(
        {"id": "arm_weakness", "name": "Arm weakness", "question": "Is one arm weak?",
         "phrases": ["weak arm", "arm is weak"]})
    [rule] = files["red_flags.yml"]["red_flags"]
    rule["any_of"].append(["sudden_onset", "arm_weakness"])
    files["red_flags.yml"]["red_flags"].append({
        "id": "stroke_speech", "pattern": "stroke", "triage": "emergency_ambulance",
        "reason": "Slurred speech can be a stroke.", "any_of": [["slurred_speech"]], "source": "nhs_stroke"})
    files["faqs.yml"]["faqs"][0]["answer"] = ("That depends on what is causing the numbness in your legs, "
                                              "so ask a doctor.")
    after = write_kb(tmp_path / "after", files)
    return before, after


def test_a_clinical_edit_is_told_in_words(capsys, edited):
    before, after = edited
    out = run_diff(capsys, "--kb-dir", str(after), "--base-dir", str(before))

    assert "stroke_tia" in out
    assert "likelihood face_droop 0.5 -> 0.6" in out
    assert "new symptom sudden_onset 0.8" in out
    assert "symptom leg_numbness no longer listed (was 0.4; now 0.03, the default)" in out
    assert "urgency emergency_ambulance -> emergency" in out
    assert '+ new symptom arm_weakness "Arm weakness"' in out
    assert 'phrases: "weak arm", "arm is weak"' in out
    assert 'added to phrases: "face is lopsided"' in out
    assert "new combination [arm_weakness + sudden_onset]" in out
    assert "+ new red-flag rule stroke_speech" in out and "escalates on [slurred_speech]" in out
    assert ("answer changed: That depends on [-the cause of-] {+what is causing+} the numbness in your "
            "[-legs.-] {+legs, so ask a doctor.+}") in out
    assert 'answer now reads: "That depends on what is causing the numbness in your legs, so ask a doctor."' in out
    assert "does not validate" not in out
    # what else the edit needs, named for the reviewer
    assert "make train" in out and "make safety-report" in out and "python -m bot generate" in out


def test_sections_come_in_reading_order(capsys, edited):
    before, after = edited
    out = run_diff(capsys, "--kb-dir", str(after), "--base-dir", str(before))
    headings = [line for line in out.splitlines() if line and not line.startswith((" ", "Knowledge", "Next", "!"))]
    assert headings == ["Conditions", "Symptoms", "Red-flag rules", "FAQ answers"]


def test_no_edit_says_so(capsys, tmp_path, small_kb_files):
    kb = write_kb(tmp_path / "kb", small_kb_files)
    out = run_diff(capsys, "--kb-dir", str(kb), "--base-dir", str(kb))
    assert "No changes." in out
    assert "Next steps" not in out


def test_an_edit_that_does_not_validate_is_still_shown_with_its_problems(capsys, tmp_path, small_kb_files):
    before = write_kb(tmp_path / "before", small_kb_files)
    small_kb_files["conditions/stroke_tia.yml"]["conditions"][0]["symptoms"]["face_drop"] = 0.5
    after = write_kb(tmp_path / "after", small_kb_files)
    out = run_diff(capsys, "--kb-dir", str(after), "--base-dir", str(before))
    assert "new symptom face_drop 0.5" in out
    assert "does not validate" in out
    assert "did you mean 'face_droop'?" in out


def test_a_removed_condition_is_named(capsys, tmp_path, small_kb_files):
    before = write_kb(tmp_path / "before", small_kb_files)
    after = tmp_path / "after"
    shutil.copytree(before, after)
    (after / "conditions" / "stroke_tia.yml").unlink()
    out = run_diff(capsys, "--kb-dir", str(after), "--base-dir", str(before))
    assert '- removed condition stroke_tia "Stroke or TIA"' in out


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
                   cwd=repo, check=True, capture_output=True)


def test_against_the_last_commit_the_new_condition_of_the_guide_is_reported(capsys, tmp_path):
    """The real KB committed in a scratch repository, then the guide's new condition added in the work tree."""
    repo = tmp_path / "repo"
    kb = repo / "data" / "kb"
    shutil.copytree(KB_DIR, kb)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "kb")
    assert "No changes." in run_diff(capsys, "--kb-dir", str(kb))

    add_new_condition(kb)
    out = run_diff(capsys, "--kb-dir", str(kb))
    assert "data/kb at git HEAD -> " in out
    assert '+ new condition vitamin_b12_deficiency "Vitamin B12 deficiency"' in out
    assert "rarity uncommon, urgency consultation" in out
    assert "sore_tongue 0.5" in out
    assert '+ new symptom sore_tongue "Sore, red tongue (glossitis)"' in out
    assert 'asks: "Is your tongue sore, red or unusually smooth?"' in out
    assert "+ new source nhs_b12_deficiency" in out
    assert "does not validate" not in out
    # nothing else of the real KB is reported as changed by the YAML rewrite of symptoms.yml
    assert "~ " not in out


def test_an_unknown_git_ref_is_an_error_not_an_empty_diff(capsys, tmp_path):
    repo = tmp_path / "repo"
    kb = repo / "data" / "kb"
    shutil.copytree(KB_DIR, kb)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "kb")
    assert main(["kb", "diff", "--kb-dir", str(kb), "--base", "no-such-branch"]) == 2
    assert "no-such-branch" in capsys.readouterr().err


def test_word_diff_keeps_context_short():
    old = " ".join(f"w{i}" for i in range(40))
    new = old.replace("w20", "changed")
    assert word_diff(old, new) == "... w15 w16 w17 w18 w19 [-w20-] {+changed+} w21 w22 w23 w24 w25 ..."
