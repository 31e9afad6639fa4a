"""The kinds of document: each builder module registers its context builders here (imports nothing of
the project, so that the builders and the package that renders them do not import each other)."""
import os

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
REGISTRY = {}  # kind -> (template file name, context builder, download name builder)
# kind -> add(obj, tpl, context): puts images (docxtpl InlineImage on `tpl`) into the context and answers
# True, or False when the document has none; a document with images takes docxtpl's own render path.
IMAGES = {}


def register(kind, template, filename):
    """Decorator for a context builder: register(kind, "x.docx", lambda obj: "名称.docx")."""

    def decorator(builder):
        REGISTRY[kind] = (template, builder, filename)
        return builder

    return decorator
