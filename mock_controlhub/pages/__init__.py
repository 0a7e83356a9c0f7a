"""Control Hub's Hybrid Context pages (HTML): sign-in, Services and Resources, Fields, Fieldsets.

routes.py (sign-in and the helpers every page blueprint shares), services.py, fields.py, fieldsets.py,
forms.py (form <-> wire body).
"""
