"""What the servers share (moto's ``moto.core`` shape): the harness's local-dev-server security, and settings.

``secret_key`` (a random key per instance, kept in its instance folder), ``sessions`` (sign-in sessions that
rotate at sign-in and end server-side at sign-out, with their CSRF token) and ``web`` (frame protection,
``Referrer-Policy``, an access log without credentials, and the ``X-Mock-Control`` guard of the control API)
serve both mocks; ``settings`` (defaults, JSON file, environment, overrides) and ``errors`` (the error
handlers: own errors, HTTP errors and unexpected exceptions in each server's wire shape) all three servers,
the gadget server too. Imports nothing from the servers.
"""
