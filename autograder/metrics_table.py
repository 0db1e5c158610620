"""Render the README's "measured" table from the metrics.json files `autograder execute` writes.

    python -m autograder.metrics_table executed/metrics.json [--merge full-cpu.json] [--merge gpu/*.json] \
        [--readme README.md]

Every input is one run (smoke or full, on some device); the table has one row per notebook and a
column per kind of run: smoke seconds on CPU, full-mode seconds and metrics on CPU, full-mode
seconds and metrics on a GPU. Seconds are the time spent running cells (kernel start excluded,
as the course's budgets are stated). A later file wins where two give the same cell. The
machines are named below the table from what the notebooks themselves reported.

With --readme, the table replaces whatever sits between the markers

    <!-- metrics-table:begin -->
    <!-- metrics-table:end -->

and nothing else in the file changes; a README without the markers gets a "Measured" section
with them appended. Without --readme the table is printed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

BEGIN = "<!-- metrics-table:begin -->"
END = "<!-- metrics-table:end -->"
COLUMNS = [("smoke", "cpu"), ("full", "cpu"), ("full", "gpu")]
STATUS_WORDS = {"failed": "failed", "timed_out": "timed out", "missed_target": "missed target"}


def _kind(device: str | None) -> str | None:
    if device in (None, "auto"):
        return None
    if device.startswith("cuda"):
        return "gpu"
    return "cpu" if device.startswith("cpu") else None  # mps runs are not tabled


def _run_kind(run: dict) -> str | None:
    """The run's machine: what its notebooks reported (a failed one reports nothing), else what was asked."""
    kinds = [_kind(r.get("device")) for r in run.get("notebooks", []) if r.get("device")]
    return max(set(kinds), key=kinds.count) if kinds else _kind(run.get("device_resolved") or run.get("device"))


def collect(runs: list[dict]) -> tuple[dict, dict]:
    """{notebook: {(mode, kind): record}} and {(mode, kind): {device names}}, later runs winning."""
    table: dict[str, dict] = {}
    machines: dict[tuple, set] = {}
    for run in runs:
        fallback = _run_kind(run)
        for record in run.get("notebooks", []):
            kind = _kind(record.get("device")) or fallback
            if kind is None:
                continue
            column = (record.get("mode") or run.get("mode"), kind)
            # how many notebooks shared the machine: their seconds are upper bounds when more than one
            table.setdefault(record["notebook"], {})[column] = {**record, "jobs": int(run.get("jobs") or 1)}
            if record.get("device_name"):
                machines.setdefault(column, set()).add(record["device_name"])
    return table, machines


def _seconds(record: dict | None) -> str:
    if record is None:
        return "–"
    seconds = record.get("cells_seconds")
    if seconds is None:
        seconds = record.get("wall_seconds")
    text = "–" if seconds is None else f"{seconds:.1f}"
    if record.get("status") != "ok":
        text += f" ({STATUS_WORDS.get(record.get('status'), record.get('status'))})"
    return text


def _metrics(record: dict | None) -> str:
    if record is None:
        return "–"
    parts = []
    for m in record.get("metrics", []):
        text = f"{m['name']} = {m['value']:.4g}"
        if m.get("target") is not None:
            op = "≥" if m.get("direction", "max") == "max" else "≤"
            text += f" (target {op} {m['target']:g}{'' if m.get('passed', True) else ', missed'})"
        parts.append(text)
    return "; ".join(parts) or "–"


def render(runs: list[dict]) -> str:
    """The Markdown table (plus a line naming the machines) for these runs."""
    table, machines = collect(runs)
    header = ["Notebook", "Smoke, CPU (s)", "Full, CPU (s)", "Full, CPU: metric", "Full, GPU (s)", "Full, GPU: metric"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * 2 + ["---", "---:", "---"]) + "|"]
    for notebook in sorted(table):
        cols = table[notebook]
        smoke, cpu, gpu = (cols.get(c) for c in COLUMNS)
        cells = [f"`{notebook}`", _seconds(smoke), _seconds(cpu), _metrics(cpu), _seconds(gpu), _metrics(gpu)]
        lines.append("| " + " | ".join(cells) + " |")
    if not table:
        lines.append("| (no runs yet) | – | – | – | – | – |")

    notes = []
    for column, label in zip(COLUMNS, ["smoke on CPU", "full on CPU", "full on GPU"]):
        if column in machines:
            jobs = max((cols[column]["jobs"] for cols in table.values() if column in cols), default=1)
            shared = f" (up to {jobs} notebooks at once)" if jobs > 1 else ""
            notes.append(f"{label}: {', '.join(sorted(machines[column]))}{shared}")
    versions = sorted({" / ".join(f"{k} {v}" for k, v in r.get("versions", {}).items() if v)
                       for cols in table.values() for r in cols.values() if r.get("versions")})
    created = sorted(run["created"][:10] for run in runs if run.get("created"))
    lines.append("")
    lines.append("Seconds spent running cells (kernel start excluded); "
                 + ("; ".join(notes) if notes else "no machine reported") + "."
                 + (f" Versions: {'; '.join(versions)}." if versions else "")
                 + (f" Measured {created[0]}" + (f" to {created[-1]}" if created[-1] != created[0] else "") + "."
                    if created else ""))
    lines.append("A dash: not run on that machine.")
    return "\n".join(lines)


def update_readme(readme: str, table: str, command: str) -> str:
    """`readme` with the marked section replaced by `table` (appended when there is none)."""
    block = f"{BEGIN}\n<!-- generated by `{command}`: do not edit by hand -->\n{table}\n{END}"
    start, end = readme.find(BEGIN), readme.find(END)
    if start != -1 and end != -1 and end > start:
        return readme[:start] + block + readme[end + len(END):]
    if start != -1 or end != -1:
        raise SystemExit(f"the README has only one of the markers {BEGIN} / {END}")
    return readme.rstrip("\n") + ("\n\n" if readme.strip() else "") + "## Measured\n\n" + block + "\n"


def load(paths: list[str | Path]) -> list[dict]:
    runs = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            path = path / "metrics.json"
        runs.append(json.loads(path.read_text()))
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.metrics_table", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("metrics", nargs="+", help="metrics.json files (or folders holding one)")
    parser.add_argument("--merge", action="append", default=[], help="more metrics.json files, merged in order")
    parser.add_argument("--readme", help="update the marked section of this README instead of printing")
    args = parser.parse_args(argv)
    paths = [*args.metrics, *args.merge]
    table = render(load(paths))
    if not args.readme:
        print(table)
        return 0
    readme = Path(args.readme)
    text = readme.read_text() if readme.exists() else ""
    command = "python -m autograder.metrics_table " + " ".join(str(p) for p in paths)
    readme.write_text(update_readme(text, table, command))
    print(f"updated the measured table in {readme} from {len(paths)} run(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
