"""A small gadget of our own that exercises finesse.js and gadgets.* in the mock desktop (served by ``server``)."""
