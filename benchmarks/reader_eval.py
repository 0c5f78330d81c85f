"""How well the plain-text reader sees the structure of real texts.

Reads every text of one or more corpus folders (each with an `index.json`
in the format of the shared corpus README) and compares what the reader
found with what the index labels, field by field (tests/corpus_fields.py
holds the counting, shared with the corpus tests). Prints per role and per
language the precision and recall, the share of structure fields right and
the share of texts whose whole structure is right, then a table of
precision and recall per role and language.

Precision and recall of a count role are taken over blocks: a text that
has 3 recitals where the reader found 5 gives 3 right, 2 false, 0 missed.
A title, lead-in or closing formula is right as written or not at all
(a wrong one is both a false and a missed one); a yes/no field (reference,
signature, place-and-date line) counts one block where it is yes.

    python benchmarks/reader_eval.py FOLDER [FOLDER ...] [--json] [--docs]
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # the shared counter lives beside the tests
    sys.path.insert(0, str(REPO))

from tests import corpus_fields  # noqa: E402

from communique.errors import CommuniqueError  # noqa: E402
from communique.readers.plaintext import read  # noqa: E402

ROLES = corpus_fields.COUNTS + corpus_fields.TEXTS + corpus_fields.FLAGS


@dataclass
class Tally:
    """Blocks right, false and missed for one role."""

    right: int = 0
    false: int = 0
    missed: int = 0

    def add(self, key: str, want: int | str | bool | None, got: int | str | bool | None) -> None:
        if isinstance(want, bool) or isinstance(got, bool) or key in corpus_fields.TEXTS:
            has_want, has_got = bool(want), bool(got)
            ok = corpus_fields.field_right(key, want, got)
            self.right += int(has_want and has_got and ok)
            self.false += int(has_got and not (has_want and ok))
            self.missed += int(has_want and not (has_got and ok))
        else:
            w, g = int(want or 0), int(got or 0)
            self.right += min(w, g)
            self.false += max(g - w, 0)
            self.missed += max(w - g, 0)

    def precision(self) -> float | None:
        return self.right / (self.right + self.false) if self.right + self.false else None

    def recall(self) -> float | None:
        return self.right / (self.right + self.missed) if self.right + self.missed else None


@dataclass
class Group:
    """Tallies for a set of texts (all, or one language)."""

    texts: int = 0
    structure_right: int = 0  # texts whose structure fields are all right
    fields: int = 0
    fields_right: int = 0
    present: int = 0  # fields the text or the reader has (not both empty)
    present_right: int = 0
    roles: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def add(self, want: corpus_fields.Fields, got: corpus_fields.Fields) -> None:
        self.texts += 1
        wrong = 0
        for key in ROLES:
            self.roles[key].add(key, want[key], got[key])
        for key in corpus_fields.STRUCTURE:
            right = corpus_fields.field_right(key, want[key], got[key])
            self.fields += 1
            self.fields_right += right
            if want[key] or got[key]:
                self.present += 1
                self.present_right += right
            wrong += not right
        self.structure_right += wrong == 0

    def total(self) -> Tally:
        """All roles' blocks together (micro average)."""
        out = Tally()
        for tally in self.roles.values():
            out.right += tally.right
            out.false += tally.false
            out.missed += tally.missed
        return out


@dataclass
class Result:
    """One text: where it is, its language, the fields wanted and found."""

    path: Path
    lang: str
    want: corpus_fields.Fields
    got: corpus_fields.Fields
    error: str | None = None

    def wrong(self) -> dict[str, dict[str, Any]]:
        return {
            key: {"expected": self.want[key], "found": self.got[key]}
            for key in ROLES
            if not corpus_fields.field_right(key, self.want[key], self.got[key])
        }


def evaluate(folder: Path) -> list[Result]:
    """Read each text of `folder` its index.json names; a text the reader
    refuses counts with nothing found."""
    index = folder / "index.json"
    if not index.is_file():
        raise SystemExit(f"reader_eval: {index}: no index.json in this folder")
    try:
        entries: list[dict[str, Any]] = json.loads(index.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise SystemExit(f"reader_eval: {index}:{err.lineno}: not valid JSON ({err.msg})") from None
    results = []
    empty = {key: None for key in ROLES} | {key: 0 for key in corpus_fields.COUNTS}
    for entry in entries:
        path = folder / entry["file"]
        if not path.is_file():
            raise SystemExit(f"reader_eval: {index}: names {entry['file']}, which is not in {folder}")
        want = corpus_fields.expected(entry)
        try:
            got = corpus_fields.found(read(path.read_bytes(), str(path)))
            error = None
        except CommuniqueError as err:
            got, error = dict(empty), str(err)
        results.append(Result(path, entry["lang"], want, got, error))
    return results


def _pct(value: float | None) -> str:
    return "    –" if value is None else f"{100 * value:5.1f}"


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def summary(results: list[Result]) -> tuple[Group, dict[str, Group]]:
    everything, by_lang = Group(), defaultdict(Group)
    for result in results:
        everything.add(result.want, result.got)
        by_lang[result.lang].add(result.want, result.got)
    return everything, dict(sorted(by_lang.items()))


def as_json(results: list[Result]) -> dict[str, Any]:
    everything, by_lang = summary(results)

    def group(g: Group) -> dict[str, Any]:
        return {
            "texts": g.texts,
            "structure_fields_right": g.fields_right / g.fields if g.fields else None,
            "present_structure_fields_right": g.present_right / g.present if g.present else None,
            "texts_structure_right": g.structure_right / g.texts if g.texts else None,
            "roles": {
                key: {
                    "right": t.right,
                    "false": t.false,
                    "missed": t.missed,
                    "precision": t.precision(),
                    "recall": t.recall(),
                }
                for key, t in g.roles.items()
            },
        }

    return {
        "all": group(everything),
        "languages": {lang: group(g) for lang, g in by_lang.items()},
        "texts": [{"file": str(r.path), "lang": r.lang, "error": r.error, "wrong": r.wrong()} for r in results],
    }


def report(results: list[Result], docs: bool) -> str:
    everything, by_lang = summary(results)
    total = everything.total()
    present = _pct(_ratio(everything.present_right, everything.present)).strip()
    lines = [
        f"{everything.texts} texts",
        f"  structure fields right: {_pct(everything.fields_right / everything.fields).strip()} %"
        f" (of the fields a text or the reader has: {present} %)",
        f"  texts with the whole structure right: {everything.structure_right}/{everything.texts}"
        f" ({_pct(everything.structure_right / everything.texts).strip()} %)",
        f"  all roles' blocks: precision {_pct(total.precision()).strip()} %, recall {_pct(total.recall()).strip()} %",
        "",
        f"{'role':<22} {'right':>5} {'false':>5} {'missed':>6} {'prec %':>6} {'rec %':>6}",
    ]
    for key in ROLES:
        t = everything.roles[key]
        lines.append(
            f"{key:<22} {t.right:>5} {t.false:>5} {t.missed:>6} {_pct(t.precision()):>6} {_pct(t.recall()):>6}"
        )
    lines += [
        "",
        f"{'lang':<6} {'texts':>5} {'fields %':>8} {'had %':>6} {'whole':>7} {'prec %':>6} {'rec %':>6}"
        "  weakest roles (recall %)",
    ]
    for lang, g in by_lang.items():
        t = g.total()
        weak = sorted(
            ((tally.recall(), key) for key, tally in g.roles.items() if tally.recall() is not None),
            key=lambda pair: pair[0] or 0.0,
        )
        weakest = ", ".join(f"{key} {_pct(r).strip()}" for r, key in weak[:3] if r is not None and r < 1)
        lines.append(
            f"{lang:<6} {g.texts:>5} {_pct(g.fields_right / g.fields):>8} {_pct(_ratio(g.present_right, g.present)):>6}"
            f" {g.structure_right:>3}/{g.texts:<3} "
            f"{_pct(t.precision()):>6} {_pct(t.recall()):>6}  {weakest}"
        )
    lines += ["", *role_by_language(by_lang)]
    if docs:
        lines += ["", "texts with a wrong field:"]
        for r in results:
            wrong = r.wrong()
            if wrong or r.error:
                lines.append(f"  {r.path.name}" + (f"  (refused: {r.error})" if r.error else ""))
                for key, pair in wrong.items():
                    lines.append(f"      {key}: expected {pair['expected']!r}, found {pair['found']!r}")
    return "\n".join(lines)


def role_by_language(by_lang: dict[str, Group]) -> list[str]:
    """Precision / recall per role (rows) and language (columns), in %:
    "–" where a language's texts neither have the role nor got it."""

    def cell(tally: Tally) -> str:
        if tally.precision() is None and tally.recall() is None:
            return "–"
        return "/".join("–" if v is None else f"{100 * v:.0f}" for v in (tally.precision(), tally.recall()))

    langs = list(by_lang)
    lines = ["precision/recall % per role and language", f"{'role':<22}" + "".join(f"{lang:>9}" for lang in langs)]
    for key in ROLES:
        lines.append(f"{key:<22}" + "".join(f"{cell(by_lang[lang].roles[key]):>9}" for lang in langs))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, help="corpus folders, each with an index.json")
    parser.add_argument("--json", action="store_true", help="print the figures and each text's wrong fields as JSON")
    parser.add_argument("--docs", action="store_true", help="list each text's wrong fields after the tables")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the output quietly
    results = [result for folder in args.folders for result in evaluate(folder)]
    if not results:
        print("reader_eval: the index lists no texts", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(as_json(results), ensure_ascii=False, indent=1))
    else:
        print(report(results, args.docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
