"""An answer is not training data: editing one neither changes what the model learns nor retrains it, and
the running assistant serves the new text at once."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.knowledge.build import TRAINING_DIGEST_PATH, generated_files
from bot.knowledge.model import load_knowledge_base, read_knowledge_base
from bot.settings import PROJECT_ROOT

ANSWER = "按每人每课时{training_subsidy.rates.点播免费}元或{training_subsidy.rates.点播付费}元补贴给单位。"
EDITED = "按每名职工每课时{training_subsidy.rates.点播免费}元或{training_subsidy.rates.点播付费}元补贴给单位。"


def _knowledge_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", folder)
    return folder


def _edit_answer(folder: Path) -> None:
    path = folder / "003_jxd_part1.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count(f"      {ANSWER}\n") == 1
    path.write_text(text.replace(f"      {ANSWER}\n", f"      {EDITED}\n"), encoding="utf-8")


def test_no_answer_text_is_in_the_training_data():
    training = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "data").rglob("*.yml"))
    training += (PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")
    kb = load_knowledge_base()
    # A line of an answer that is not also a question someone asks.
    questions = {text for item in kb.items.values() for text in item.training_examples()}
    leaked = [item.key for item in kb.items.values()
              for line in item.answer.splitlines() if len(line) > 12 and line not in questions and line in training]
    assert leaked == []


def test_an_answer_edit_leaves_the_training_data_as_it_was(tmp_path):
    folder = _knowledge_copy(tmp_path)
    before = generated_files(read_knowledge_base(folder))
    _edit_answer(folder)
    after = generated_files(read_knowledge_base(folder))
    assert after == before
    assert read_knowledge_base(folder).items["jxd_q05_subsidy_standard"].answer.startswith("按每名职工每课时10元")


def test_a_new_example_changes_the_training_digest(tmp_path):
    folder = _knowledge_copy(tmp_path)
    before = generated_files(read_knowledge_base(folder))[TRAINING_DIGEST_PATH]
    path = folder / "003_jxd_part1.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      - 以训兴业是什么\n", "      - 以训兴业是什么\n      - 以训兴业到底是个啥政策\n", 1),
                    encoding="utf-8")
    assert generated_files(read_knowledge_base(folder))[TRAINING_DIGEST_PATH] != before


def test_the_running_assistant_serves_an_edited_answer_at_once(tmp_path):
    folder = _knowledge_copy(tmp_path)
    assert "每人每课时10元" in load_knowledge_base(folder).items["jxd_q05_subsidy_standard"].reply_text
    time.sleep(0.01)  # a new modification time, even on a coarse clock
    _edit_answer(folder)
    assert "每名职工每课时10元" in load_knowledge_base(folder).items["jxd_q05_subsidy_standard"].reply_text


def test_a_broken_edit_keeps_the_last_good_answers(tmp_path):
    folder = _knowledge_copy(tmp_path)
    good = load_knowledge_base(folder)
    (folder / "003_jxd_part1.yml").write_text("items: [\n", encoding="utf-8")
    assert load_knowledge_base(folder) is good


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_retrains_for_new_examples_but_not_for_an_edited_answer(tmp_path):
    """`make train` on a copy of the project, with a stand-in for `rasa train` that records each call."""
    root = tmp_path / "project"
    for name in ("Makefile", "config.yml", "domain.yml", "requirements.lock", "pyproject.toml"):
        shutil.copy(PROJECT_ROOT / name, root / name if root.exists() else _mkdir(root) / name)
    for name in ("bot", "data", "knowledge"):
        shutil.copytree(PROJECT_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')  # keeps its site-packages
    (venv / "python").chmod(0o755)
    calls = tmp_path / "trained"
    (venv / "rasa").write_text(f"#!/bin/sh\necho trained >> {calls}\nmkdir -p models && touch models/current.tar.gz\n")
    (venv / "rasa").chmod(0o755)
    (venv.parent / ".installed").touch()
    env = {**os.environ, "VENV": str(venv.parent), "PYTHONPATH": str(root)}

    def train() -> int:
        subprocess.run(["make", "-s", "train"], cwd=root, env=env, check=True, capture_output=True)
        return len(calls.read_text().splitlines()) if calls.exists() else 0

    assert train() == 1  # no model yet
    assert train() == 1  # nothing changed
    time.sleep(1.1)  # make compares modification times to the second on some file systems
    _edit_answer(root / "knowledge")
    assert train() == 1, "an edited answer must not retrain"
    time.sleep(1.1)
    path = root / "knowledge" / "003_jxd_part1.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      - 以训兴业是什么\n", "      - 以训兴业是什么\n      - 以训兴业到底是个啥政策\n", 1), encoding="utf-8")
    assert train() == 2, "a new training example must retrain"


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path
