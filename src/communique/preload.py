"""Imported by the fork server of the worker pools (`batch.make_pool`): warms
Communique once there, so that every worker forked from it starts warm in
milliseconds and a recycled pool costs no new warm-up."""

from __future__ import annotations

import contextlib
import signal

from communique.batch import warm_up

# Ctrl-C is the pool's owner's to handle (the fork server ignores it too, once
# it has loaded this module; its workers inherit that), never a traceback here.
signal.signal(signal.SIGINT, signal.SIG_IGN)
# Only a head start: whatever fails here fails again, reported, in the document that needs it.
with contextlib.suppress(Exception):
    warm_up()
