"""``python -m mock_finesse``: same as the ``mock-finesse`` console script."""

from .cli import main

main()
