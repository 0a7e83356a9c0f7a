"""What both mocks share (moto's ``moto.core`` shape): the harness's local-dev-server security.

``secret_key`` (a random key per instance, kept in its instance folder), ``sessions`` (sign-in sessions that
rotate at sign-in and end server-side at sign-out, with their CSRF token) and ``web`` (frame protection,
``Referrer-Policy``, an access log without credentials, and the ``X-Mock-Control`` guard of the control API).
Imports nothing from the mocks.
"""
