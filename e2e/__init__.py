"""This project's end-to-end tests (Playwright, in the mock Finesse desktop), its demo and its screenshots; not
shipped (the harness's plugin is ``finesse_harness``)."""
