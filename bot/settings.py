"""Configuration from environment variables, with safe defaults.

Read on call, never at import, so tests and servers can set the environment first.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError:
        return default


def positive_int(name: str, default: int) -> int:
    """A positive whole number from the environment; `default` when unset or not one."""
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def understanding_enabled(part: str) -> bool:
    """`BOT_DISABLE=context,lexicon` switches those parts of understanding off, for the ablation in
    docs/benchmarks.md (default: everything on)."""
    disabled = {p.strip() for p in os.environ.get("BOT_DISABLE", "").split(",") if p.strip()}
    return part not in disabled


def knowledge_dir() -> Path:
    return Path(os.environ.get("BOT_KNOWLEDGE_DIR", PROJECT_ROOT / "knowledge"))


def faq_answer_threshold() -> float:
    """Minimum ResponseSelector confidence to answer an FAQ without asking."""
    return _float("BOT_FAQ_ANSWER_THRESHOLD", 0.2)


def faq_min_top_share() -> float:
    """Minimum share of the best FAQ's confidence over the best two, to answer without asking."""
    return _float("BOT_FAQ_MIN_TOP_SHARE", 0.65)


def faq_suggestion_floor() -> float:
    """Minimum confidence for an FAQ to be offered as a '您是不是想问' button."""
    return _float("BOT_FAQ_SUGGESTION_FLOOR", 0.05)


def faq_thresholds() -> dict:
    """The settings of `bot.faq.decision.decide`, as keyword arguments: three thresholds, and whether a
    question's subject must be one the documents speak of (`BOT_DISABLE=coverage` for the ablation)."""
    return {
        "answer_threshold": faq_answer_threshold(),
        "suggestion_floor": faq_suggestion_floor(),
        "min_top_share": faq_min_top_share(),
        "check_coverage": understanding_enabled("coverage"),
    }


def data_dir() -> Path:
    """Where the SQLite database and generated keys live; ignored by git."""
    return Path(os.environ.get("BOT_DATA_DIR") or PROJECT_ROOT / "var")


def database_url() -> str:
    """`DATABASE_URL` (e.g. postgresql://user:pass@host/db), else a SQLite file in the data directory."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Heroku-style URLs name the dialect "postgres", which SQLAlchemy 1.4 no longer accepts.
        return "postgresql://" + url[len("postgres://") :] if url.startswith("postgres://") else url
    return f"sqlite:///{data_dir() / 'assistant.db'}"


def holiday_overrides_path() -> Path:
    """The working-day override file (see bot/policy/holiday_overrides.yml)."""
    raw = os.environ.get("BOT_HOLIDAY_OVERRIDES", "").strip()
    return Path(raw) if raw else PROJECT_ROOT / "bot" / "policy" / "holiday_overrides.yml"
