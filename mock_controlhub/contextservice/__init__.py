"""Context Service objects (cs-rest ``/context/v1``): customers, requests, activities, details, search.

routes.py (blueprint), models.py (store and rules), wire.py (types, timestamps, JSON shape), elements.py
(dictionary-bound properties), search.py + search_index.py (queries), exceptions.py.
"""
