"""The open-data feed's revision: a token that changes whenever a record the feed publishes changes.

`services.ocds` keeps each built release package in memory under the token it was built with and
reads the token (one row, by primary key) on every request: an unchanged token means an unchanged
package. A flush hook (services/ocds.py) writes a new random token in the same transaction as the
change, so the new token becomes visible exactly when the change does. Random rather than counted,
so that a package cached from one database can never be served for another one that happens to
have reached the same count (tests recreate their database many times in one process).
"""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db


class FeedRevision(db.Model):
    __tablename__ = "feed_revision"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime | None]  # Beijing time of the change: the feeds' Last-Modified
