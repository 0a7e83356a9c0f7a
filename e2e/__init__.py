"""End-to-end kit: run the harness servers in threads and drive gadgets in the mock Finesse desktop."""
