"""StreamField blocks of an article body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

BODY_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"))
    level = blocks.ChoiceBlock(
        choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2", label=_("level")
    )

    class Meta:
        icon = "title"
        template = "wagtail_tagfeed/blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(required=False, label=_("attribution"))

    class Meta:
        icon = "openquote"
        template = "wagtail_tagfeed/blocks/quote_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    """An image shown with its caption (an imported ``<figure>`` and its ``<figcaption>``)."""

    image = ImageBlock()
    caption = blocks.CharBlock(required=False, label=_("caption"))

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "wagtail_tagfeed/blocks/captioned_image_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=BODY_FEATURES, icon="pilcrow")
    quote = QuoteBlock()
    image = ImageBlock()
    captioned_image = CaptionedImageBlock()
    embed = EmbedBlock(icon="media")
