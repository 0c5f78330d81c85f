"""YAML as data: the lexicons, the reader's weights and the templates'
tables. Parsed with libyaml where PyYAML was built with it (the same
tables as PyYAML's pure-Python safe loader, about ten times faster), and
each file's table kept in the user's cache, so a fresh process reads it
back without loading PyYAML at all."""

from __future__ import annotations

from typing import Any

from communique import cache as disk_cache


class YAMLSyntaxError(ValueError):
    """Text that is not YAML: PyYAML's problem and the line (1-based) it is on."""

    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def safe_load(text: str) -> Any:
    """What `yaml.safe_load` gives; `YAMLSyntaxError` for text that is not YAML."""
    return disk_cache.remembered("yaml", text.encode("utf-8"), lambda: _parse(text))


def _parse(text: str) -> Any:
    import yaml  # only when the cache does not have this text's table

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise YAMLSyntaxError(str(getattr(err, "problem", None) or err), mark.line + 1 if mark else None) from None
