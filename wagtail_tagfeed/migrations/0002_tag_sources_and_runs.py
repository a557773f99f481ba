
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Wagtail 8 lets a site swap the base page model; Wagtail 7 has no such setting.
PAGE_MODEL = getattr(settings, 'WAGTAIL_PAGE_MODEL', 'wagtailcore.page')


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_tagfeed', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='articlepage',
            name='author',
            field=models.CharField(blank=True, max_length=255, verbose_name='author'),
        ),
        migrations.CreateModel(
            name='TagSource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=255, verbose_name='name')),
                ('url', models.URLField(max_length=2048, verbose_name='URL')),
                ('tags', models.CharField(blank=True, help_text='Comma-separated; empty: the tag detected on the page.', max_length=500, verbose_name='tags')),
                ('pages', models.PositiveSmallIntegerField(default=1, verbose_name='pages to follow')),
                ('item_selector', models.CharField(blank=True, max_length=500, verbose_name='item selector')),
                ('title_selector', models.CharField(blank=True, max_length=500, verbose_name='title selector')),
                ('summary_selector', models.CharField(blank=True, max_length=500, verbose_name='summary selector')),
                ('date_selector', models.CharField(blank=True, max_length=500, verbose_name='date selector')),
                ('image_selector', models.CharField(blank=True, max_length=500, verbose_name='image selector')),
                ('next_selector', models.CharField(blank=True, max_length=500, verbose_name='next page selector')),
                ('fetch_articles', models.BooleanField(default=False, verbose_name='fetch full articles')),
                ('download_images', models.BooleanField(default=False, verbose_name='download images')),
                ('enabled', models.BooleanField(default=True, verbose_name='enabled')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('parent', models.ForeignKey(help_text='The tag index page the articles are imported into.', on_delete=django.db.models.deletion.CASCADE, related_name='+', to=PAGE_MODEL, verbose_name='tag index')),
            ],
            options={
                'verbose_name': 'tag source',
                'verbose_name_plural': 'tag sources',
                'ordering': ['name'],
                'permissions': [('import_tagpage', 'Can import tag-listing pages')],
            },
        ),
        migrations.CreateModel(
            name='ImportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('urls', models.JSONField(blank=True, default=list, verbose_name='sources')),
                ('options', models.JSONField(blank=True, default=dict, verbose_name='options')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='queued', max_length=20, verbose_name='status')),
                ('task_id', models.CharField(blank=True, editable=False, max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('created', models.PositiveIntegerField(default=0, verbose_name='created')),
                ('updated', models.PositiveIntegerField(default=0, verbose_name='updated')),
                ('unchanged', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                ('kept', models.PositiveIntegerField(default=0, verbose_name='kept local edits')),
                ('failed', models.PositiveIntegerField(default=0, verbose_name='failed')),
                ('report', models.JSONField(blank=True, default=dict, verbose_name='report')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=PAGE_MODEL, verbose_name='tag index')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='runs', to='wagtail_tagfeed.tagsource', verbose_name='tag source')),
            ],
            options={
                'verbose_name': 'import run',
                'verbose_name_plural': 'import runs',
                'ordering': ['-created_at', '-pk'],
            },
        ),
    ]
