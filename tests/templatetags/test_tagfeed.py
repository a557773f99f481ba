"""The {% load tagfeed %} library: filters, listing tags, and their query counts."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe

from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    context.setdefault("request", RequestFactory().get("/"))
    return Template("{% load tagfeed wagtailcore_tags %}" + source).render(Context(context))


def test_word_filter_on_rich_text():
    html = "<p>One <b>two</b> three</p><p>four five</p>"
    assert (
        render("{{ html|truncatehtml_words:2 }}", html=mark_safe(html)) == "<p>One <b>two</b>…</p>"
    )


def test_char_filter():
    out = render("{{ html|truncatehtml_chars:9 }}", html=mark_safe("<p>Turkey rejects truce</p>"))
    assert out == "<p>Turkey…</p>"


def test_char_filter_cuts_plain_labels_between_words():
    title = "Armenia accuses Turkey of fighting alongside Azerbaijan in Nagorno-Karabakh conflict"
    assert render("{{ title|truncatechars:70 }}", title=title).endswith(" Nagorno-Ka…")
    out = render("{{ title|truncatehtml_chars:70 }}", title=title)
    assert out == "Armenia accuses Turkey of fighting alongside Azerbaijan in…"


def test_char_filter_cuts_a_label_of_one_long_word_inside_it():
    assert render("{{ tag|truncatehtml_chars:10 }}", tag="Nagorno-Karabakh") == "Nagorno-K…"


def test_char_filter_escapes_labels_and_counts_what_is_shown():
    out = render("{{ title|truncatehtml_chars:21 }}", title="Q&A: Turkey & <NATO> talks")
    assert out == "Q&amp;A: Turkey &amp; &lt;NATO&gt;…"


def test_filters_escape_plain_text():
    out = render("{{ text|truncatehtml_words:5 }}", text="<script>alert(1)</script> hello")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out


def test_filters_leave_short_html_unchanged():
    html = "<p>Short&nbsp;text <!-- kept --></p>"
    assert render("{{ html|safe|truncatehtml_words:50 }}", html=html) == html


def test_latest_articles_by_tag(make_articles):
    turkey = make_articles(3, tags=["turkey"])
    make_articles(2, tags=["nato"])
    out = render(
        '{% latest_articles "Turkey" limit=2 as items %}'
        "{% for a in items %}[{{ a.title }}]{% endfor %}"
    )
    assert out == f"[{turkey[2].title}][{turkey[1].title}]"


def test_latest_articles_of_several_tags_and_of_all(make_articles):
    make_articles(1, tags=["turkey"])
    make_articles(1, tags=["nato"])
    make_articles(1, tags=["gas"])
    both = render('{% latest_articles "turkey" "nato" as items %}{{ items|length }}')
    every = render("{% latest_articles as items %}{{ items|length }}")
    assert (both, every) == ("2", "3")


def test_latest_articles_query_count_is_constant(make_articles):
    template = Template(
        '{% load tagfeed wagtailcore_tags %}{% latest_articles "turkey" limit=50 as items %}'
        "{% article_listing items %}"
    )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            template.render(Context({"request": RequestFactory().get("/")}))
        return len(captured)

    make_articles(5, tags=["turkey", "nato"])
    queries()
    five = queries()
    make_articles(40, tags=["turkey", "gas", "drones"])
    assert queries() == five


def test_article_listing_renders_items(make_articles):
    [article] = make_articles(1, tags=["turkey"])
    out = render(
        '{% latest_articles "turkey" as items %}{% article_listing items summary_words=3 %}'
    )
    assert '<article class="tagfeed-item">' in out
    assert f'<a href="{article.url}">{article.title}</a>' in out
    assert '<time datetime="' in out
    assert "Summary of article" in out and "…" in out
    assert f'<a rel="tag" href="{article.get_parent().url}tag/turkey/">turkey</a>' in out


def test_article_tags_links_to_tag_pages(make_articles):
    [article] = make_articles(1, tags=["turkey", "nato"])
    out = render("{% article_tags page %}", page=article)
    index_url = article.get_parent().url
    assert f'href="{index_url}tag/nato/">nato</a>' in out
    assert f'href="{index_url}tag/turkey/">turkey</a>' in out


@pytest.mark.parametrize(
    ("words", "ending"), [(3, "three…</p>"), (6, "six…</p>"), (40, "six…</p>")]
)
def test_article_listing_shows_one_ellipsis_whoever_cut_the_teaser(make_articles, words, ending):
    """Cut by the template (3 words) or only at the source (6 words and more): one "…"."""
    make_articles(1, summary="<p>One two three four five six</p>", summary_truncated=True)
    out = render(
        "{% latest_articles as items %}{% article_listing items summary_words=words %}",
        words=words,
    )
    summary = out.split('<div class="tagfeed-item__summary">')[1].split("</div>")[0]
    assert summary.count("…") == 1
    assert summary.endswith(ending)


def test_listing_picture_is_a_lazy_picture_with_its_size(make_articles):
    image = ImageFactory()
    out = render('{% listing_picture image class="thumb" %}', image=image)
    assert out.startswith("<picture>") and out.endswith("</picture>")
    img = out[out.index("<img") :]
    for attribute in ('class="thumb"', 'loading="lazy"', "width=", "height=", "srcset="):
        assert attribute in img
    assert render("{% listing_picture None %}") == ""


def test_article_listing_with_images_query_count_is_constant(make_articles):
    template = Template(
        "{% load tagfeed %}{% latest_articles limit=50 as items %}{% article_listing items %}"
    )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            template.render(Context({"request": RequestFactory().get("/")}))
        return len(captured)

    for _ in range(2):
        make_articles(1, listing_image=ImageFactory())
    queries()  # the first rendering makes the renditions of new images
    two = queries()
    for _ in range(4):
        make_articles(1, listing_image=ImageFactory())
    queries()
    assert queries() == two
