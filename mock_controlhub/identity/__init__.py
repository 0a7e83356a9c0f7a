"""The Webex identity side: org and entitlement, tokens, component registration (ccfs ``/v1/authorize``).

routes.py (token endpoint, discovery, admin authorization), registration.py (consent pages), models.py,
exceptions.py.
"""
