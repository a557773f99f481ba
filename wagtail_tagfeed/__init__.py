"""Turn tag-listing pages into editable Wagtail content, and publish such listings."""

__version__ = "0.1.0"
