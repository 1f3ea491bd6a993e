"""Full-text search storage (see `balie.inbox.search`): a tsvector column with a GIN index on
PostgreSQL, an FTS5 table on SQLite. Existing conversations get their documents built here."""

from django.db import migrations


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE inbox_conversation"
            " ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector"
        )
        schema_editor.execute(
            "CREATE INDEX conversation_search ON inbox_conversation USING gin (search_vector)"
        )
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE inbox_conversation_fts USING fts5("
            "subject, body, shop_id UNINDEXED,"
            " tokenize = 'unicode61 remove_diacritics 2')"
        )
    from balie.inbox import search

    Conversation = apps.get_model("inbox", "Conversation")
    search.conversations_reindex(
        Conversation.objects.values_list("pk", flat=True),
        conversation_model=Conversation,
        message_model=apps.get_model("inbox", "Message"),
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS conversation_search")
        schema_editor.execute("ALTER TABLE inbox_conversation DROP COLUMN search_vector")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS inbox_conversation_fts")


class Migration(migrations.Migration):
    dependencies = [("inbox", "0003_sla_macros_notifications")]

    operations = [migrations.RunPython(create, drop)]
