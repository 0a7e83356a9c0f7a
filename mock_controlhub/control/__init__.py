"""The mock's control API under ``/_mock/`` (moto's ``/moto-api/`` shape) and its demo-data seeding."""
