"""GraphQL fields for sites that serve their pages with wagtail-grapple.

Installed with the ``graphql`` extra (``pip install "wagtail-tagfeed[graphql]"``). Without
wagtail-grapple, the page models have no GraphQL fields and nothing here imports it.

Scalars, rich text (front-end HTML), the body and the listing image use grapple's own types,
so a query asks for the renditions it wants (``listingImage { rendition(width: 480) { url
width height } }``); tags with their listing's URL, tag counts and feeds come as JSON
(``GenericScalar``), the values of the REST API.
"""

from __future__ import annotations

import importlib.util


def installed() -> bool:
    return importlib.util.find_spec("grapple") is not None


def json_field(name: str):
    """A field of JSON read from the page's attribute ``name``."""
    from graphene.types.generic import GenericScalar
    from grapple.models import GraphQLField

    return lambda: GraphQLField(name, GenericScalar)


def article_fields() -> list:
    """The ``graphql_fields`` of an article page."""
    if not installed():
        return []
    from grapple import models as gql

    return [
        gql.GraphQLString("date"),
        gql.GraphQLString("published_date"),
        gql.GraphQLString("author"),
        gql.GraphQLString("source_url"),
        gql.GraphQLRichText("summary"),
        gql.GraphQLBoolean("summary_truncated"),
        gql.GraphQLRichText("teaser"),
        gql.GraphQLString("teaser_text"),
        gql.GraphQLBoolean("has_standfirst"),
        gql.GraphQLStreamfield("body"),
        gql.GraphQLInt("reading_time"),
        gql.GraphQLImage("listing_image"),
        json_field("tag_links"),
    ]


def tag_index_fields() -> list:
    """The ``graphql_fields`` of a tag index page."""
    if not installed():
        return []
    from grapple import models as gql

    return [
        gql.GraphQLRichText("intro"),
        gql.GraphQLInt("per_page"),
        json_field("pinned_tag_link"),
        json_field("tag_counts"),
        json_field("feed_urls"),
        gql.GraphQLString("listing_json_url"),
    ]
