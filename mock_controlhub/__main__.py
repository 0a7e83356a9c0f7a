"""Allow ``python -m mock_controlhub``."""

from .cli import main

main()
