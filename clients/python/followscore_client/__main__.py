"""`python -m followscore_client`: the command line (see cli.py)."""

from .cli import main

raise SystemExit(main())
