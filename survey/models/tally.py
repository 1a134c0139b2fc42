"""Lopende tellingen (running tallies): counts kept beside the answers they count."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db


class Tally(db.Model):
    """How many counted responses share one key, kept in the transaction that changes them.

    The key is a grain (which dimensions it keeps), a question (0: the response itself), a
    value, and the response's buurt, channel, start day, layer and language (0, the epoch
    or '' where the grain leaves a dimension out). survey.features.tallies is the one place
    that writes and reads them.
    """

    __table_args__ = (
        Index(
            "ux_tally_key",
            "survey_id",
            "grain",
            "question_id",
            "value",
            "area_id",
            "channel_id",
            "day",
            "layer",
            "lang",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    grain: Mapped[int] = mapped_column(SmallInteger)
    question_id: Mapped[int] = mapped_column(Integer)  # no foreign key: 0 is the response
    value: Mapped[str] = mapped_column(String(200))
    area_id: Mapped[int] = mapped_column(Integer)  # 0: no buurt known
    channel_id: Mapped[int] = mapped_column(Integer)  # 0: none (paper, import)
    day: Mapped[date] = mapped_column(Date)
    layer: Mapped[str] = mapped_column(String(10))
    lang: Mapped[str] = mapped_column(String(5))
    n: Mapped[int] = mapped_column(Integer, default=0)
