"""A minimal Django project around django-helpdesk 2.6.1, for the ingest comparison in
`bench/inbox.py`; runs in its own venv (`bench/.venv-helpdesk`), never in Balie's."""
