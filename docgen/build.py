"""Build the Word templates under docgen/templates/: `python -m docgen.build`.

Each domain module of docgen defines `TEMPLATES = {file name: builder(doc)}`; the templates are
committed, and a test checks they match what this script builds.
"""
import io
import os

from docgen.registry import TEMPLATES
from docgen.styles import new_document

DOMAINS = ["docgen.purchasing", "docgen.mediation", "docgen.rehabilitation", "docgen.acceptance", "docgen.evaluation",
           "docgen.statistics"]


def all_templates():
    import importlib

    for name in DOMAINS:
        module = importlib.import_module(name)
        for filename, (builder, options) in module.TEMPLATES.items():
            yield filename, builder, options


def build_bytes(builder, options):
    doc = new_document(**options)
    builder(doc)
    # Fixed core properties, so that the same script always writes the same file.
    doc.core_properties.author = "枫桥"
    doc.core_properties.last_modified_by = "枫桥"
    from datetime import datetime

    doc.core_properties.created = doc.core_properties.modified = datetime(2026, 1, 1)
    doc.core_properties.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main():
    for filename, builder, options in all_templates():
        with open(os.path.join(TEMPLATES, filename), "wb") as f:
            f.write(build_bytes(builder, options))
        print("built", filename)


if __name__ == "__main__":
    main()
