"""Imported by the fork server of the worker pools (`batch.make_pool`): warms
Communique once there, so that every worker forked from it starts warm in
milliseconds and a recycled pool costs no new warm-up."""

from __future__ import annotations

import contextlib

from communique.batch import warm_up

# Only a head start: whatever fails here fails again, reported, in the document that needs it.
with contextlib.suppress(Exception):
    warm_up()
