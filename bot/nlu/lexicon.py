"""The reviewed vocabulary in `lexicon.yml`: spelling rewrites and the terms a follow-up may swap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Pattern, Tuple

import yaml

LEXICON_FILE = Path(__file__).with_name("lexicon.yml")


class LexiconError(ValueError):
    """The lexicon file breaks one of its own rules."""


@dataclass(frozen=True)
class Lexicon:
    rewrites: Tuple[Tuple[str, str], ...]  # (variant, standard), longest variant first
    alternatives: Dict[str, Tuple[str, ...]]  # kind -> terms, longest first
    _pattern: Optional[Pattern[str]] = None

    def standardize(self, text: str) -> str:
        """Every variant in `text` replaced by its standard form."""
        if not text or self._pattern is None:
            return text
        table = {variant.lower(): standard for variant, standard in self.rewrites}
        return self._pattern.sub(lambda match: table[match.group(0).lower()], text)

    def terms_in(self, text: str) -> List[Tuple[str, str, int]]:
        """(kind, term, position) for every alternative term in `text`, longer terms taking precedence."""
        found: List[Tuple[str, str, int]] = []
        taken = [False] * len(text)
        for kind, term in sorted(
            ((k, t) for k, ts in self.alternatives.items() for t in ts), key=lambda pair: -len(pair[1])
        ):
            for match in re.finditer(re.escape(term), text, flags=re.IGNORECASE):
                span = range(match.start(), match.end())
                if not any(taken[i] for i in span):
                    for i in span:
                        taken[i] = True
                    found.append((kind, text[match.start() : match.end()], match.start()))
        return sorted(found, key=lambda entry: entry[2])


def _variant_pattern(variant: str) -> str:
    escaped = re.escape(variant)
    # An ASCII abbreviation must stand alone: "APP" but not the "app" in "happy".
    return rf"(?<![A-Za-z]){escaped}(?![A-Za-z])" if variant.isascii() else escaped


def parse_lexicon(raw: dict) -> Lexicon:
    rewrites: Dict[str, str] = {}
    for entry in raw.get("rewrites") or []:
        standard = str(entry["standard"])
        for variant in entry.get("variants") or []:
            variant = str(variant)
            if variant.lower() in (key.lower() for key in rewrites):
                raise LexiconError(f"variant {variant!r} is listed twice")
            if variant == standard or variant in standard:
                raise LexiconError(f"variant {variant!r} is part of its standard form {standard!r}")
            rewrites[variant] = standard
    ordered = tuple(sorted(rewrites.items(), key=lambda pair: -len(pair[0])))
    alternatives = {
        str(kind): tuple(sorted((str(t) for t in terms), key=len, reverse=True))
        for kind, terms in (raw.get("alternatives") or {}).items()
    }
    pattern = re.compile("|".join(_variant_pattern(v) for v, _ in ordered), re.IGNORECASE) if ordered else None
    return Lexicon(rewrites=ordered, alternatives=alternatives, _pattern=pattern)


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    return parse_lexicon(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
