
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('taggit', '0004_alter_taggeditem_content_type_alter_taggeditem_tag'),
        ('wagtail_tagfeed', '0002_tag_sources_and_runs'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='articlepagetag',
            index=models.Index(fields=['tag', 'content_object'], name='tagfeed_tag_article_idx'),
        ),
    ]
