"""The purchase side: catalogue, annual plans, procurements with bids (contracts are models.contract).

Every state change is a method that checks the transition and raises a domain error (DESIGN.md §3-4).
One module a concept, imported from the package (`from models.purchasing import Procurement`):
money (amounts and who may act), catalogue (ServiceItem, Publication), plans (PurchasePlan, PlanItem),
procurement (Procurement, Criterion, Bid, PanelScore).
"""
from models.purchasing.catalogue import Publication, ServiceItem
from models.purchasing.money import FEN, Money, _require_finance, _require_unit_staff, money
from models.purchasing.plans import PlanItem, PurchasePlan, plan_attachment
from models.purchasing.procurement import (MIN_RESPONSE_DAYS, MIN_VALID_BIDS, OPEN_STATES, Bid, Criterion, PanelScore,
                                           Procurement, bid_staff, procurement_invitee)

__all__ = ["FEN", "MIN_RESPONSE_DAYS", "MIN_VALID_BIDS", "OPEN_STATES", "Bid", "Criterion", "Money", "PanelScore",
           "PlanItem", "Procurement", "Publication", "PurchasePlan", "ServiceItem", "_require_finance",
           "_require_unit_staff", "bid_staff", "money", "plan_attachment", "procurement_invitee"]
