"""Word documents: render(kind, obj) -> .docx bytes.

Each kind has a template under docgen/templates/ (built by `python -m docgen.build`) and a context
builder that returns a plain dict of formatted strings. docxtpl always renders with autoescape=True,
so '&' and '<' in users' text survive.
"""
import copy
import io
import os
import re
import threading
import zipfile

from docx.oxml.ns import nsmap as docx_nsmap
from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml import etree

from docgen.registry import IMAGES, REGISTRY, TEMPLATES, register  # noqa: F401 (register: the builders' decorator)


def render(kind, obj) -> bytes:
    _load_builders()
    template, builder, _ = REGISTRY[kind]
    context = builder(obj)
    images = IMAGES.get(kind)
    add_images = images(obj) if images is not None else None
    if add_images is not None:  # docxtpl's own path, which can add image parts (the prepared one cannot)
        doc = DocxTemplate(os.path.join(TEMPLATES, template))
        add_images(doc, context)
        doc.render(context, autoescape=True)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    return prepared(template).render(context)


def render_plain(template, context) -> bytes:
    """docxtpl as documented: a new DocxTemplate from the file for every render (the reference)."""
    doc = DocxTemplate(os.path.join(TEMPLATES, template))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_PREPARED = {}
_PREPARED_LOCK = threading.Lock()


def prepared(template):
    """The template made ready once per process (issue 8: documents at twice the plain render's speed)."""
    found = _PREPARED.get(template)
    if found is None:
        with _PREPARED_LOCK:
            found = _PREPARED.get(template)
            if found is None:
                found = _PREPARED[template] = Prepared(os.path.join(TEMPLATES, template))
    return found


class Prepared:
    """A docxtpl template prepared once: docxtpl opens the file and cleans the body's XML for Jinja
    (patch_xml) a single time; the cleaned body is compiled once with autoescape; the package's other
    parts are kept as bytes. Each render then runs the compiled template, docxtpl's own after-steps
    (listing, fix_tables, docPr ids), puts the body into a copy of the document element and writes the
    zip — instead of re-reading the package, re-parsing every part and re-compiling the template.

    Only document.xml may carry tags (true of every template that docgen/build.py makes); a template
    with tags elsewhere (headers, footers, properties, footnotes) falls back to the plain render.
    """

    def __init__(self, path):
        self.path = path
        with zipfile.ZipFile(path) as z:
            self.members = [(info, z.read(info.filename)) for info in z.infolist()]
        tpl = DocxTemplate(path)
        tpl.render_init()
        self.tpl = tpl
        self.document_name = str(tpl.docx.part.partname).lstrip("/")
        self.plain = any(info.filename != self.document_name and info.filename.endswith(".xml")
                         and (b"{{" in data or b"{%" in data) for info, data in self.members)
        body = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
        self.body = Environment(autoescape=True).from_string(body)
        self.root = tpl.docx.element
        original = next(info for info, _ in self.members if info.filename == self.document_name)
        self.document_info = zipfile.ZipInfo(self.document_name, date_time=original.date_time)
        self.document_info.compress_type = zipfile.ZIP_DEFLATED
        # Every other part, compressed once; each render appends the rendered document.xml to a copy.
        base = io.BytesIO()
        with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in self.members:
                if info.filename != self.document_name:
                    z.writestr(info.filename, data)
        self.base = base.getvalue()

    def render(self, context) -> bytes:
        if self.plain:
            doc = DocxTemplate(self.path)
            doc.render(context, autoescape=True)
            out = io.BytesIO()
            doc.save(out)
            return out.getvalue()
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", self.body.render(context))
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        tree = self.tpl.fix_tables(self.tpl.resolve_listing(xml))
        for i, elt in enumerate(tree.xpath("//wp:docPr", namespaces=docx_nsmap), start=1001):
            elt.attrib["id"] = str(i)
        root = copy.deepcopy(self.root)
        root.replace(root.body, tree)
        document = etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)
        out = io.BytesIO(self.base)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            z.writestr(self.document_info, document)
        return out.getvalue()


def filename(kind, obj) -> str:
    _load_builders()
    return REGISTRY[kind][2](obj)


def _load_builders():
    from docgen import purchasing  # noqa: F401  (registers its kinds)
    from docgen import mediation  # noqa: F401
    from docgen import rehabilitation  # noqa: F401
    from docgen import acceptance  # noqa: F401
    from docgen import evaluation  # noqa: F401
    from docgen import statistics  # noqa: F401
    from docgen import signing  # noqa: F401
