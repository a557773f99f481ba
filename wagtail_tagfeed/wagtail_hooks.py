"""Admin registration: the "Tag feed" menu (import, tag sources, import runs).

The tag-source viewset registers ``TagSource``'s permissions, ``import_tagpage`` among them,
with Wagtail's group editor.
"""

from wagtail import hooks

from .viewsets import TagfeedViewSetGroup, register_policies

register_policies()


@hooks.register("register_admin_viewset")
def register_viewsets():
    return TagfeedViewSetGroup()
