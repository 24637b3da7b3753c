"""The use cases, one function each, shared by the command line, the REST API and the web UI.

Every function takes a :class:`~jixiao.services.context.Ctx` (a database session and the acting
user) first. What a user may do and see is decided in one place, :mod:`jixiao.services.policy`;
failures are :mod:`jixiao.services.errors` (a stable code, a Chinese message, an HTTP status).
"""
