"""docs/benchmarks.md: each benchmark replaces its own part and keeps the others'."""
from bench import report


def test_each_benchmark_keeps_the_other_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "REPORT", tmp_path / "benchmarks.md")
    report.write_main("# Benchmarks\n\naccuracy 1\n")
    report.write_block("lock-race", "## lock race\nrun 1")
    report.write_block("cluster", "## cluster\nrun 1")
    report.write_main("# Benchmarks\n\naccuracy 2\n")
    report.write_block("cluster", "## cluster\nrun 2")
    text = report.REPORT.read_text()
    assert "accuracy 2" in text and "accuracy 1" not in text
    assert "run 2" in text and "## cluster\nrun 1" not in text
    assert "## lock race\nrun 1" in text
    assert text.index("## cluster") < text.index("## lock race")  # blocks in a fixed order
    assert text.count("<!-- cluster:start -->") == 1
