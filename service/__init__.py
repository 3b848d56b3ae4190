"""The HTTP service of legevakt-opt: roster jobs over FastAPI, with storage, auth and exports.

    legevakt-opt token create --district hallingdal     # prints a bearer token
    legevakt-opt token list --district hallingdal       # ids, created, last used
    legevakt-opt token revoke 3                         # its next request is 401
    legevakt-opt serve --host 127.0.0.1 --port 8000     # OpenAPI docs at /docs

Layout (after fastapi/full-stack-fastapi-template's backend): ``app.py`` builds the app,
``settings.py`` reads the environment, ``db.py``/``models.py`` hold storage, ``jobs.py`` the
worker processes, ``auth.py`` the tokens, ``deps.py`` the request dependencies,
``bodies.py`` JSON or YAML request bodies and ``routes/`` the endpoints.
"""
