"""The two contenders' training inputs, copied to a temporary folder, and their training timed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLAIN, OURS = "plain Rasa", "this assistant"
# The line added to data/nlu.yml for the retraining figure: one more example of an intent.
CHANGED_INTENT = "- intent: greet"
ADDED_EXAMPLE = "    - good day to you"


def plain_config() -> Path:
    """The config.yml `rasa init` writes (no pipeline or policies given: Rasa's defaults)."""
    import rasa.cli

    return Path(rasa.cli.__file__).parent / "initial_project" / "config.yml"


@dataclass(frozen=True)
class Training:
    from_scratch: float  # seconds
    after_change: float  # seconds, after adding one line to data/nlu.yml
    model: Path  # the model trained from scratch


def project_copy(folder: Path, config: Path) -> Path:
    """domain.yml, data/ and `config` as config.yml in `folder`: what `rasa train` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "domain.yml", folder / "domain.yml")
    shutil.copytree(ROOT / "data", folder / "data", dirs_exist_ok=True)
    shutil.copy(config, folder / "config.yml")
    return folder


def add_one_line(nlu: Path) -> None:
    """One more example under CHANGED_INTENT, as a trainer would add it."""
    lines = nlu.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.rstrip() == CHANGED_INTENT and lines[index + 1].strip() == "examples: |":
            lines.insert(index + 2, ADDED_EXAMPLE + "\n")
            nlu.write_text("".join(lines), encoding="utf-8")
            return
    raise ValueError(f"{nlu} has no '{CHANGED_INTENT}' block with examples to add a line to")


def train(project: Path, cache: Path, log: Path) -> float:
    """Seconds `rasa train` takes in `project`, with `cache` as Rasa's training cache."""
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(cache), "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    command = [str(Path(sys.executable).parent / "rasa"), "train", "--fixed-model-name", "current", "--out", "models"]
    start = time.perf_counter()
    with log.open("a") as out:
        result = subprocess.run(command, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"rasa train failed in {project}: see {log}")
    return seconds


def timed_training(folder: Path, config: Path) -> Training:
    """From scratch (empty cache), then again after a one-line change to data/nlu.yml."""
    project = project_copy(folder / "project", config)
    cache, log = folder / "cache", folder / "train.log"
    from_scratch = train(project, cache, log)
    model = folder / "model.tar.gz"
    shutil.copy(project / "models" / "current.tar.gz", model)
    add_one_line(project / "data" / "nlu.yml")
    return Training(from_scratch, train(project, cache, log), model)
