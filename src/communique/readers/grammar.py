"""A small document grammar decoded for the best sequence of roles.

An official text runs header → title → metadata → body → closing formula →
signature, place and date, each part optional, some repeating. Each line
("unit") has features (`dict[str, float]`, from the reader); each role
scores a line by weights over those features (`weights.yaml`, data). The
grammar says which role may follow which (roles in document order, a role
of the trailing group may follow any other of it); Viterbi finds the best
whole sequence, so one doubtful line costs a little instead of moving every
zone after it, and forward–backward gives each line's confidence (the
probability of its role over all sequences the grammar allows).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from math import exp, log
from typing import Any

from communique import yamlfile

Features = Mapping[str, float]
_IMPOSSIBLE = -math.inf


@dataclass(frozen=True)
class Role:
    """One state of the grammar: its place in document order (`rank`),
    whether it may hold several lines in a row, its weights."""

    name: str
    rank: int
    repeat: bool
    group: str | None
    start: bool
    end: bool
    bias: float
    weights: Mapping[str, float]
    shows_as: str  # roles that give the same block share it: a line's confidence counts them together

    def score(self, features: Features) -> float:
        return self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())


@dataclass(frozen=True)
class Grammar:
    roles: tuple[Role, ...]
    after: Mapping[str, frozenset[str]]  # role → roles that may come next
    bonus: Mapping[str, float]  # group → score added when a line of it follows another

    def transition(self, first: Role, then: Role) -> float:
        if then.name not in self.after[first.name]:
            return _IMPOSSIBLE
        if first.group is not None and first.group == then.group:
            return self.bonus.get(first.group, 0.0)
        return 0.0


@dataclass(frozen=True)
class Decoded:
    """The best role of each line and how sure the grammar is of it."""

    roles: tuple[str, ...]
    confidence: tuple[float, ...]


@cache
def grammar() -> Grammar:
    """The grammar and weights of `weights.yaml`."""
    data = yamlfile.safe_load(resources.files(__package__ or "communique.readers").joinpath("weights.yaml").read_text())
    return _grammar(data)


def _grammar(data: Any) -> Grammar:
    roles: list[Role] = []
    only: dict[str, frozenset[str]] = {}
    for name, spec in data["roles"].items():
        roles.append(
            Role(
                name=name,
                rank=int(spec["rank"]),
                repeat=bool(spec.get("repeat", False)),
                group=spec.get("group"),
                start=bool(spec.get("start", "after" not in spec)),
                end=bool(spec.get("end", True)),
                bias=float(spec.get("bias", 0.0)),
                weights={str(k): float(v) for k, v in (spec.get("weights") or {}).items()},
                shows_as=str(spec.get("shows_as", name)),
            )
        )
        if spec.get("after") is not None:
            only[name] = frozenset(spec["after"])
    after: dict[str, frozenset[str]] = {}
    for first in roles:
        after[first.name] = frozenset(
            then.name
            for then in roles
            if (
                (then is first and first.repeat)
                or (first.group is not None and then.group == first.group and then is not first)
                or (then.rank > first.rank and (then.name not in only or first.name in only[then.name]))
            )
        )
    bonus = {str(g): float(spec.get("bonus", 0.0)) for g, spec in (data.get("groups") or {}).items()}
    return Grammar(tuple(roles), after, bonus)


def decode(lines: Sequence[Features], rules: Grammar | None = None) -> Decoded:
    """The best sequence of roles for `lines` and each line's confidence.

    Linear in the number of lines: rows are appended and the backward pass
    reversed once; only transitions the grammar allows are visited (an
    impossible one adds nothing: its score is minus infinity, its
    probability exactly 0). Sums run in the same order as always, so the
    confidences stay the same to the last bit."""
    rules = rules or grammar()
    roles = rules.roles
    n, k = len(lines), len(roles)
    if n == 0:
        return Decoded((), ())
    emit = _emissions(lines, roles)
    trans = [[rules.transition(a, b) for b in roles] for a in roles]
    start = [0.0 if role.start else _IMPOSSIBLE for role in roles]
    end = [0.0 if role.end else _IMPOSSIBLE for role in roles]
    # the transitions the grammar allows: (predecessor, score) into each role, (successor, score) out of it
    into_pairs = [[(p, trans[p][j]) for p in range(k) if trans[p][j] != _IMPOSSIBLE] for j in range(k)]
    onto_pairs = [[(q, trans[j][q]) for q in range(k) if trans[j][q] != _IMPOSSIBLE] for j in range(k)]

    # Viterbi; ties go to the first role, as `max` gives them
    best = [start[j] + emit[0][j] for j in range(k)]
    back: list[list[int]] = []
    for i in range(1, n):
        row, pointers = [], []
        for j in range(k):
            prev, top = 0, best[0] + trans[0][j]
            for p, t in into_pairs[j]:
                value = best[p] + t
                if value > top:
                    prev, top = p, value
            row.append(top + emit[i][j])
            pointers.append(prev)
        best = row
        back.append(pointers)
    last = max(range(k), key=lambda j: best[j] + end[j])
    path = [last]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    path.reverse()

    # forward–backward, for each line's marginal probability of its role
    forward = [[start[j] + emit[0][j] for j in range(k)]]
    for i in range(1, n):
        before, here = forward[-1], emit[i]
        forward.append([_logsumexp([before[p] + t for p, t in pairs]) + here[j] for j, pairs in enumerate(into_pairs)])
    backward = [end[:]]
    for i in range(n - 1, 0, -1):
        nxt, here = backward[-1], emit[i]
        backward.append([_logsumexp([t + here[q] + nxt[q] for q, t in pairs]) for pairs in onto_pairs])
    backward.reverse()
    total = _logsumexp([forward[-1][j] + end[j] for j in range(k)])
    alike = [[a for a in range(k) if roles[a].shows_as == role.shows_as] for role in roles]

    def sure(i: int) -> float:
        """The probability that line `i` gives the block its best role gives."""
        if total == _IMPOSSIBLE:
            return 0.0
        there, after = forward[i], backward[i]
        return round(min(1.0, sum(exp(there[j] + after[j] - total) for j in alike[path[i]])), 3)

    confidence = tuple(sure(i) for i in range(n))
    return Decoded(tuple(roles[j].name for j in path), confidence)


def _emissions(lines: Sequence[Features], roles: Sequence[Role]) -> list[list[float]]:
    """Each line's score under each role; lines with the same features
    (most lines of a long body) share one row."""
    rows: dict[tuple[tuple[str, float], ...], list[float]] = {}
    emit = []
    for features in lines:
        key = tuple(features.items())
        row = rows.get(key)
        if row is None:
            row = rows[key] = [role.score(features) for role in roles]
        emit.append(row)
    return emit


def _logsumexp(values: Sequence[float]) -> float:
    if len(values) == 1:
        return values[0] + 0.0  # what the sum below gives for one value: exp(0) is 1, log(1) is 0, exactly
    top = max(values, default=_IMPOSSIBLE)
    if top == _IMPOSSIBLE:
        return _IMPOSSIBLE
    return top + log(sum([exp(v - top) for v in values]))
