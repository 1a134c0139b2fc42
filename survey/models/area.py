"""Gebied: gemeente > wijk > buurt."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db

LEVELS = ("gemeente", "wijk", "buurt")


class Area(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="RESTRICT"))
    level: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))
    cbs_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    postcodes: Mapped[list] = mapped_column(JSON, default=list)  # 4-digit PC4 codes in a buurt
    reference_mix: Mapped[dict | None] = mapped_column(JSON)  # profile code -> expected share
    # CBS "Kerncijfers wijken en buurten": base column name -> number, None where CBS wrote "."
    figures: Mapped[dict | None] = mapped_column(JSON)
    figures_year: Mapped[int | None]
    # The outline from the CBS wijk- en buurtkaart: a GeoJSON (Multi)Polygon in WGS84
    boundary: Mapped[dict | None] = mapped_column(JSON)

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.name")

    def __repr__(self) -> str:
        return f"<Area {self.level} {self.name}>"
