"""docs/benchmarks.md is written by several benchmarks: `bench.run_all` (accuracy, training, latency,
memory) writes the main part; the cluster benchmarks each write a named block after it
(`bench.calculation_eval`: "calculations", `bench.cluster_load`: "cluster", `bench.lock_race`: "lock-race",
`bench.cluster_faults`: "faults").
Each keeps the others' parts."""
from __future__ import annotations

import re
from pathlib import Path
from typing import List, Tuple

REPORT = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
BLOCK_ORDER = ("calculations", "cluster", "lock-race", "faults")
_BLOCK = re.compile(r"<!-- ([a-z-]+):start -->\n.*?<!-- \1:end -->\n?", re.S)


def _blocks(text: str) -> List[Tuple[str, str]]:
    return [(match.group(1), match.group(0).rstrip("\n") + "\n") for match in _BLOCK.finditer(text)]


def _compose(main: str, blocks: List[Tuple[str, str]]) -> str:
    ordered = sorted(blocks, key=lambda item: BLOCK_ORDER.index(item[0]) if item[0] in BLOCK_ORDER else 99)
    return main.rstrip("\n") + "\n" + "".join("\n" + block for _, block in ordered)


def _read() -> str:
    return REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n"


def write_main(body: str) -> None:
    """The run_all part; the named blocks stay after it."""
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(_compose(body, _blocks(_read())), encoding="utf-8")


def write_block(name: str, section: str) -> None:
    """One named block, replacing its previous version."""
    existing = _read()
    main = _BLOCK.sub("", existing)
    blocks = [(n, b) for n, b in _blocks(existing) if n != name]
    blocks.append((name, f"<!-- {name}:start -->\n{section.strip()}\n<!-- {name}:end -->\n"))
    REPORT.write_text(_compose(main, blocks), encoding="utf-8")
