"""The kinds of document: each builder module registers its context builders here (imports nothing of
the project, so that the builders and the package that renders them do not import each other)."""
import os

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
REGISTRY = {}  # kind -> (template file name, context builder, download name builder)
# kind -> images(obj): None when this document has no images, else add(tpl, context), which puts them
# into the context as docxtpl InlineImages on `tpl` (such a document takes docxtpl's own render path).
IMAGES = {}


def register(kind, template, filename):
    """Decorator for a context builder: register(kind, "x.docx", lambda obj: "名称.docx")."""

    def decorator(builder):
        REGISTRY[kind] = (template, builder, filename)
        return builder

    return decorator
