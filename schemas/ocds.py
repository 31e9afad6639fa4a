"""OCDS 1.1.5 release packages (the open-data feed), as marshmallow schemas.

services/ocds.py assembles plain dicts from the published records; these schemas fix the field
names and types of what goes out. Empty values (None, [], {}) are left out, as OCDS prefers.
"""
from decimal import Decimal

from marshmallow import Schema, fields, post_dump


class Amount(fields.Field):
    """Money is Decimal in the database and a JSON number in OCDS (two places at most)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)


class Base(Schema):
    def get_attribute(self, obj, attr, default):
        """Plain dicts in: a missing key is missing (not dict.items, the method)."""
        return obj.get(attr, default) if isinstance(obj, dict) else super().get_attribute(obj, attr, default)

    @post_dump
    def drop_empty(self, data, **kwargs):
        return {k: v for k, v in data.items() if v not in (None, [], {}, "")}


class Value(Base):
    amount = Amount()
    currency = fields.String()


class Period(Base):
    startDate = fields.String()
    endDate = fields.String()


class Identifier(Base):
    scheme = fields.String()
    id = fields.String()
    legalName = fields.String()


class Address(Base):
    locality = fields.String()
    region = fields.String()
    countryName = fields.String()


class Organization(Base):
    id = fields.String()
    name = fields.String()
    identifier = fields.Nested(Identifier)
    additionalIdentifiers = fields.List(fields.Nested(Identifier))
    address = fields.Nested(Address)
    roles = fields.List(fields.String())


class OrganizationReference(Base):
    id = fields.String()
    name = fields.String()


class Classification(Base):
    scheme = fields.String()
    id = fields.String()
    description = fields.String()


class Unit(Base):
    name = fields.String()


class Item(Base):
    id = fields.String()
    description = fields.String()
    classification = fields.Nested(Classification)
    quantity = Amount()
    unit = fields.Nested(Unit)


class Document(Base):
    id = fields.String()
    documentType = fields.String()
    title = fields.String()
    description = fields.String()
    url = fields.String()
    datePublished = fields.String()
    format = fields.String()
    language = fields.String()


class Milestone(Base):
    id = fields.String()
    title = fields.String()
    type = fields.String()
    description = fields.String()
    dueDate = fields.String()
    dateMet = fields.String()
    dateModified = fields.String()
    status = fields.String()


class Budget(Base):
    id = fields.String()
    description = fields.String()
    amount = fields.Nested(Value)


class Planning(Base):
    rationale = fields.String()
    budget = fields.Nested(Budget)
    documents = fields.List(fields.Nested(Document))


class Tender(Base):
    id = fields.String()
    title = fields.String()
    description = fields.String()
    status = fields.String()
    procuringEntity = fields.Nested(OrganizationReference)
    items = fields.List(fields.Nested(Item))
    value = fields.Nested(Value)
    procurementMethod = fields.String()
    procurementMethodDetails = fields.String()
    procurementMethodRationale = fields.String()
    mainProcurementCategory = fields.String()
    tenderPeriod = fields.Nested(Period)
    numberOfTenderers = fields.Integer()
    documents = fields.List(fields.Nested(Document))


class Award(Base):
    id = fields.String()
    title = fields.String()
    status = fields.String()
    date = fields.String()
    value = fields.Nested(Value)
    suppliers = fields.List(fields.Nested(OrganizationReference))
    items = fields.List(fields.Nested(Item))
    documents = fields.List(fields.Nested(Document))


class Transaction(Base):
    id = fields.String()
    date = fields.String()
    value = fields.Nested(Value)
    payer = fields.Nested(OrganizationReference)
    payee = fields.Nested(OrganizationReference)


class Implementation(Base):
    transactions = fields.List(fields.Nested(Transaction))
    milestones = fields.List(fields.Nested(Milestone))
    documents = fields.List(fields.Nested(Document))


class Amendment(Base):
    id = fields.String()
    date = fields.String()
    rationale = fields.String()
    description = fields.String()


class Contract(Base):
    id = fields.String()
    awardID = fields.String()
    title = fields.String()
    description = fields.String()
    status = fields.String()
    period = fields.Nested(Period)
    value = fields.Nested(Value)
    items = fields.List(fields.Nested(Item))
    dateSigned = fields.String()
    documents = fields.List(fields.Nested(Document))
    milestones = fields.List(fields.Nested(Milestone))
    implementation = fields.Nested(Implementation)
    amendments = fields.List(fields.Nested(Amendment))


class RelatedProcess(Base):
    id = fields.String()
    relationship = fields.List(fields.String())
    title = fields.String()
    scheme = fields.String()
    identifier = fields.String()
    uri = fields.String()


class Release(Base):
    ocid = fields.String()
    id = fields.String()
    date = fields.String()
    tag = fields.List(fields.String())
    initiationType = fields.String()
    language = fields.String()
    parties = fields.List(fields.Nested(Organization))
    buyer = fields.Nested(OrganizationReference)
    planning = fields.Nested(Planning)
    tender = fields.Nested(Tender)
    awards = fields.List(fields.Nested(Award))
    contracts = fields.List(fields.Nested(Contract))
    relatedProcesses = fields.List(fields.Nested(RelatedProcess))


class Publisher(Base):
    name = fields.String()
    uri = fields.String()


class ReleasePackage(Base):
    uri = fields.String()
    version = fields.String()
    publishedDate = fields.String()
    publisher = fields.Nested(Publisher)
    license = fields.String()
    publicationPolicy = fields.String()
    releases = fields.List(fields.Nested(Release))
