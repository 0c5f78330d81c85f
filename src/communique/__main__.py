"""`python -m communique` runs the command line."""

from communique.cli import main

raise SystemExit(main())
