"""The document grammar: Viterbi over roles, confidences, and the block confidence in the model."""

from __future__ import annotations

import pytest

from communique.model import ModelError, TextBlock, from_dict, plain, to_dict
from communique.readers import grammar
from communique.readers.plaintext import read_text

SMALL = grammar._grammar(
    {
        "roles": {
            "head": {"rank": 0, "repeat": True, "end": False, "bias": -4, "weights": {"date": 8}},
            "body": {"rank": 1, "repeat": True},
            "sign": {"rank": 2, "repeat": True, "after": ["body"], "bias": -4, "weights": {"name": 6}},
        }
    }
)


def test_best_sequence_respects_the_order() -> None:
    decoded = grammar.decode([{"date": 1}, {}, {"date": 1}, {"name": 1}], SMALL)
    # A date line inside the body stays body: the header is over.
    assert decoded.roles == ("head", "body", "body", "sign")


def test_the_grammar_needs_a_body_line() -> None:
    decoded = grammar.decode([{"date": 1}], SMALL)
    assert decoded.roles == ("body",)


def test_confidence_is_a_probability_lower_for_a_doubtful_line() -> None:
    sure = grammar.decode([{}, {"name": 1}, {"name": 1}], SMALL)
    doubtful = grammar.decode([{}, {"name": 0.7}], SMALL)
    assert all(0.0 <= c <= 1.0 for c in sure.confidence + doubtful.confidence)
    assert doubtful.confidence[1] < sure.confidence[2]


def test_every_block_of_the_plain_text_reader_has_a_confidence() -> None:
    document = read_text(
        "No: 12\n\nStatement\n\nRecalling its resolutions,\n\n1. Decides to act.\n\nAnkara, 1 March 2022\n"
    )
    assert document.blocks and all(block.confidence is not None for block in document.blocks)


def test_confidence_round_trips_through_json_and_does_not_change_equality() -> None:
    block = TextBlock("paragraph", plain("Text."), confidence=0.42)
    data = {
        "meta": {},
        "blocks": [{"kind": "paragraph", "content": [{"kind": "text", "text": "Text."}], "confidence": 0.42}],
    }
    document = from_dict(data)
    assert document.blocks[0].confidence == 0.42
    assert to_dict(document)["blocks"][0]["confidence"] == 0.42
    assert document.blocks[0] == TextBlock("paragraph", plain("Text."))
    assert block == document.blocks[0]
    with pytest.raises(ModelError, match="/blocks/0/confidence: expected a number from 0 to 1"):
        from_dict({"blocks": [{"kind": "paragraph", "content": [], "confidence": 2}]})


def test_the_readers_json_fits_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import json

    from communique.schema import schema_json

    document = read_text("Statement\n\nRecalling its resolutions,\n\n1. Decides to act.\n\nAnkara, 1 March 2022\n")
    jsonschema.validate(to_dict(document), json.loads(schema_json()))


def test_markdown_and_word_blocks_carry_a_confidence() -> None:
    from communique.readers import docxfile, markdown
    from communique.render import find_template, render_layout
    from communique.writers import docx as docx_writer
    from tests.model_walk import walk

    source = b"---\ntitle: T\n---\n\nRecalling its resolutions,\n\n1. Decides to act.\n\nAnkara, 1 March 2022\n"
    document = markdown.read(source, "x.md")
    word = docxfile.read(docx_writer.write(render_layout(document, find_template("statement"))), "x.docx")
    for read in (document, word):
        assert all(block.confidence is not None for _, block in walk(read.blocks))
    assert [block.kind for block in document.blocks] == ["recital", "numbered_list", "place_date"]


def _plain_decode(lines: list[dict[str, float]], rules: grammar.Grammar) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The decoder as first written, quadratic and unhurried: the roles and
    the unrounded probabilities the fast one must match bit for bit."""
    import math

    def logsumexp(values: list[float]) -> float:
        top = max(values)
        return top if top == -math.inf else top + math.log(sum(math.exp(v - top) for v in values))

    roles, n = rules.roles, len(lines)
    k = len(roles)
    emit = [[role.score(features) for role in roles] for features in lines]
    trans = [[rules.transition(a, b) for b in roles] for a in roles]
    start = [0.0 if role.start else -math.inf for role in roles]
    end = [0.0 if role.end else -math.inf for role in roles]
    best, back = [start[j] + emit[0][j] for j in range(k)], []
    for i in range(1, n):
        pointers = [max(range(k), key=lambda p, j=j: best[p] + trans[p][j]) for j in range(k)]
        best = [best[p] + trans[p][j] + emit[i][j] for j, p in enumerate(pointers)]
        back = [*back, pointers]
    path = [max(range(k), key=lambda j: best[j] + end[j])]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    path.reverse()
    forward = [[start[j] + emit[0][j] for j in range(k)]]
    for i in range(1, n):
        forward.append([logsumexp([forward[-1][p] + trans[p][j] for p in range(k)]) + emit[i][j] for j in range(k)])
    backward = [end[:]]
    for i in range(n - 1, 0, -1):
        nxt = backward[0]
        backward.insert(0, [logsumexp([trans[j][q] + emit[i][q] + nxt[q] for q in range(k)]) for j in range(k)])
    total = logsumexp([forward[-1][j] + end[j] for j in range(k)])
    sure = []
    for i in range(n):
        alike = [j for j in range(k) if roles[j].shows_as == roles[path[i]].shows_as]
        p = sum(math.exp(forward[i][j] + backward[i][j] - total) for j in alike)
        sure.append(0.0 if total == -math.inf else min(1.0, p))
    return tuple(roles[j].name for j in path), tuple(sure)


@pytest.mark.parametrize("rules", [SMALL, grammar.grammar()], ids=["small", "weights.yaml"])
def test_the_fast_decoder_gives_what_the_plain_one_gave(
    rules: grammar.Grammar, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random

    monkeypatch.setattr(grammar, "round", lambda value, _digits: value, raising=False)  # compare raw probabilities
    names = sorted({name for role in rules.roles for name in role.weights} | {"unweighted"})
    pick = random.Random(7)
    for _ in range(60):
        lines = [
            {name: pick.choice((1.0, 1.0, 0.7)) for name in pick.sample(names, pick.randint(0, min(4, len(names))))}
            for _ in range(pick.randint(1, 40))
        ]
        decoded = grammar.decode(lines, rules)
        assert (decoded.roles, decoded.confidence) == _plain_decode(lines, rules)
