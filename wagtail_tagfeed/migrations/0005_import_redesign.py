import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Wagtail 8 lets a site swap the base page model; Wagtail 7 has no such setting.
PAGE_MODEL = getattr(settings, 'WAGTAIL_PAGE_MODEL', 'wagtailcore.page')
SELECTORS = ('item', 'title', 'summary', 'date', 'image', 'next')


def selectors_to_json(apps, schema_editor):
    TagSource = apps.get_model('wagtail_tagfeed', 'TagSource')
    for source in TagSource.objects.all():
        source.selectors = {
            name: getattr(source, f'{name}_selector')
            for name in SELECTORS
            if getattr(source, f'{name}_selector')
        }
        source.save(update_fields=['selectors'])


def selectors_to_columns(apps, schema_editor):
    TagSource = apps.get_model('wagtail_tagfeed', 'TagSource')
    for source in TagSource.objects.all():
        for name in SELECTORS:
            setattr(source, f'{name}_selector', (source.selectors or {}).get(name, ''))
        source.save()


def fill_source_keys(apps, schema_editor):
    from wagtail_tagfeed.parsing.urls import source_key

    ArticlePage = apps.get_model('wagtail_tagfeed', 'ArticlePage')
    for pk, url in ArticlePage.objects.exclude(source_url=None).values_list('pk', 'source_url'):
        ArticlePage.objects.filter(pk=pk).update(source_key=source_key(url))


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_tagfeed', '0004_article_order_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='tagsource',
            name='selectors',
            field=models.JSONField(blank=True, default=dict, help_text='Override detection: item, title, summary, date, image, next.', verbose_name='CSS selectors'),
        ),
        migrations.RunPython(selectors_to_json, selectors_to_columns),
        *(
            migrations.RemoveField(model_name='tagsource', name=f'{name}_selector')
            for name in SELECTORS
        ),
        migrations.AddField(
            model_name='tagsource',
            name='owner',
            field=models.ForeignKey(blank=True, help_text="Scheduled syncs act with this user's rights.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='responsible user'),
        ),
        migrations.AlterField(
            model_name='articlepage',
            name='source_url',
            field=models.URLField(blank=True, help_text='Where the article was imported from; re-imports match on it.', max_length=2048, null=True, verbose_name='source URL'),
        ),
        migrations.AddField(
            model_name='articlepage',
            name='source_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=2048),
        ),
        migrations.RunPython(fill_source_keys, migrations.RunPython.noop),
        # The hashes of the old single fingerprint cannot be split per field: the next
        # import of each article writes them again (as an update, once).
        migrations.RemoveField(model_name='articlepage', name='import_fingerprint'),
        migrations.AddField(
            model_name='articlepage',
            name='import_fingerprint',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='importrun',
            name='listings',
            field=models.JSONField(blank=True, default=list, help_text='The listing pages, with the items ticked in the preview, this run imports; empty: the run reads its sources.', verbose_name='previewed listings'),
        ),
        migrations.AddField(
            model_name='importrun',
            name='skipped',
            field=models.PositiveIntegerField(default=0, verbose_name='skipped'),
        ),
        migrations.CreateModel(
            name='ImportPreview',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('label', models.CharField(max_length=2048)),
                ('options', models.JSONField(default=dict)),
                ('listings', models.JSONField(default=list)),
                ('rows', models.JSONField(default=list)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('parent', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=PAGE_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'import preview',
                'verbose_name_plural': 'import previews',
            },
        ),
    ]
