"""The HTTP service of legevakt-opt: roster jobs over FastAPI, with storage, auth and exports.

    legevakt-opt token create --district hallingdal     # prints a bearer token
    legevakt-opt serve --host 127.0.0.1 --port 8000      # OpenAPI docs at /docs

Layout (after fastapi/full-stack-fastapi-template's backend): ``app.py`` builds the app,
``settings.py`` reads the environment, ``db.py``/``models.py`` hold storage, ``jobs.py`` the
worker processes, ``auth.py`` the tokens, ``deps.py`` the request dependencies and
``routes/`` the endpoints.
"""
