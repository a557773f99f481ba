from django.db import migrations

# Serves queries.ORDERING (date descending with nulls last, then newest first), so a page
# of a large tag is read in index order instead of sorted. SQLite puts NULLs last in a
# descending index anyway and does not accept NULLS LAST in CREATE INDEX.
INDEX = "tagfeed_article_order_idx"
TABLE = "wagtail_tagfeed_articlepage"


def create_index(apps, schema_editor):
    nulls_last = "" if schema_editor.connection.vendor == "sqlite" else " NULLS LAST"
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON {TABLE} (date DESC{nulls_last}, page_ptr_id DESC)"
    )


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_tagfeed', '0003_article_tag_index'),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
