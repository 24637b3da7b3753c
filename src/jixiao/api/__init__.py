"""The REST API under ``/api/v1`` (FastAPI): thin routes over ``services/``."""
