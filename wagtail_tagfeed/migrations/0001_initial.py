
import django.core.validators
import django.db.models.deletion
import modelcluster.contrib.taggit
import modelcluster.fields
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

# Wagtail 8 lets a site swap the base page model; Wagtail 7 has no such setting.
PAGE_MODEL = getattr(settings, 'WAGTAIL_PAGE_MODEL', 'wagtailcore.page')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('taggit', '0004_alter_taggeditem_content_type_alter_taggeditem_tag'),
        ('wagtailcore', '0089_log_entry_data_json_null_to_object'),
        ('wagtailimages', '0025_alter_image_file_alter_rendition_file'),
    ]

    operations = [
        migrations.CreateModel(
            name='ArticlePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=PAGE_MODEL)),
                ('date', models.DateField(blank=True, db_index=True, null=True, verbose_name='publication date')),
                ('source_url', models.URLField(blank=True, help_text='Where the article was imported from; re-imports match on it.', max_length=2048, null=True, unique=True, verbose_name='source URL')),
                ('summary', wagtail.fields.RichTextField(blank=True, verbose_name='summary')),
                ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('quote', 6), ('image', 7), ('embed', 8)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'text'}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'H2'), ('h3', 'H3'), ('h4', 'H4')], 'label': 'level'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul'], 'icon': 'pilcrow'}), 4: ('wagtail.blocks.TextBlock', (), {'label': 'quote'}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'attribution', 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('text', 4), ('attribution', 5)]], {}), 7: ('wagtail.images.blocks.ImageBlock', [], {}), 8: ('wagtail.embeds.blocks.EmbedBlock', (), {'icon': 'media'})}, verbose_name='body')),
                ('import_fingerprint', models.CharField(blank=True, editable=False, max_length=64)),
                ('imported_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision')),
                ('listing_image', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='listing image')),
            ],
            options={
                'verbose_name': 'article page',
                'verbose_name_plural': 'article pages',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='ArticlePageTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='wagtail_tagfeed.articlepage')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
            ],
            options={
                'verbose_name': 'article tag',
                'verbose_name_plural': 'article tags',
            },
        ),
        migrations.AddField(
            model_name='articlepage',
            name='tags',
            field=modelcluster.contrib.taggit.ClusterTaggableManager(blank=True, help_text='A comma-separated list of tags.', through='wagtail_tagfeed.ArticlePageTag', to='taggit.Tag', verbose_name='tags'),
        ),
        migrations.CreateModel(
            name='TagIndexPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
                ('per_page', models.PositiveSmallIntegerField(default=20, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(200)], verbose_name='articles per page')),
                ('pinned_tag', models.ForeignKey(blank=True, help_text='List only articles with this tag.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='taggit.tag', verbose_name='pinned tag')),
            ],
            options={
                'verbose_name': 'tag index page',
                'verbose_name_plural': 'tag index pages',
            },
            bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page'),
        ),
    ]
