"""``python -m tmenn``: see :mod:`tmenn.cli`."""

from .cli import main

raise SystemExit(main())
