"""Word documents: render(kind, obj) -> .docx bytes.

Each kind has a template under docgen/templates/ (built by `python -m docgen.build`) and a context
builder that returns a plain dict of formatted strings. docxtpl always renders with autoescape=True,
so '&' and '<' in users' text survive.
"""
import io
import os

from docxtpl import DocxTemplate

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
REGISTRY = {}  # kind -> (template file name, context builder, download name builder)


def register(kind, template, filename):
    """Decorator for a context builder: register(kind, "x.docx", lambda obj: "名称.docx")."""

    def decorator(builder):
        REGISTRY[kind] = (template, builder, filename)
        return builder

    return decorator


def render(kind, obj) -> bytes:
    _load_builders()
    template, builder, _ = REGISTRY[kind]
    doc = DocxTemplate(os.path.join(TEMPLATES, template))
    doc.render(builder(obj), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(kind, obj) -> str:
    _load_builders()
    return REGISTRY[kind][2](obj)


def _load_builders():
    from docgen import purchasing  # noqa: F401  (registers its kinds)
    from docgen import mediation  # noqa: F401
    from docgen import rehabilitation  # noqa: F401
    from docgen import acceptance  # noqa: F401
