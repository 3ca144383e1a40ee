"""Who may change catalog data: the county admin for the county-wide list, a center director for
their own town's items and catalog."""

from onewindow.org.services.permissions import require_county_admin, require_town_manager


def require_item_manager(actor, owner_town_id: int | None) -> None:
    if owner_town_id is None:
        require_county_admin(actor)
    else:
        require_town_manager(actor, owner_town_id)


def require_catalog_manager(actor, town_id: int) -> None:
    require_town_manager(actor, town_id)
