"""Territory scopes: include and exclude countries and groups ("WORLD excluding CN, HK, MO, TW").

Grants, holdbacks and music licences each keep their scope in a table of their own built on
this mixin, so every foreign key stays a real one.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from rightsdesk.persistence.base import Code


class TerritoryScopeItem:
    """One line of a scope: a country or a group, included or excluded."""

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_code: Mapped[Code | None] = mapped_column(ForeignKey("territory.code"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("territory_group.id"))
    excluded: Mapped[bool] = mapped_column(default=False)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[CheckConstraint, ...]:
        return (
            CheckConstraint(
                "(territory_code IS NULL) <> (group_id IS NULL)", name="country_or_group"
            ),
        )
