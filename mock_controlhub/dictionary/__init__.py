"""The org's dictionary (``/dictionary/{field|fieldset}/v1``, ``/management/property/v1``).

routes.py (blueprint), models.py (reads, limits, base seeding), fields.py and fieldsets.py (writes),
validation.py (shared checks), usage.py (leaf: is a fieldset used by objects), exceptions.py.
"""
