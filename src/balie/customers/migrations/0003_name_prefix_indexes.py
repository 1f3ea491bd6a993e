"""Prefix indexes for finding customers by the start of a name or address (conversation
search, `inbox.search.matching`): lower-cased, with text_pattern_ops so `LIKE 'fen%'` uses
them. PostgreSQL only: SQLite's LIKE ignores case and is fast enough at its scale."""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "email")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX customer_{column}_prefix ON customers_customer"
            f" (shop_id, lower({column}) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS customer_{column}_prefix")


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_initial")]

    operations = [migrations.RunPython(create, drop)]
