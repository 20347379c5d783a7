"""``python -m orderbook``: the command line."""

from orderbook.cli import main

raise SystemExit(main())
