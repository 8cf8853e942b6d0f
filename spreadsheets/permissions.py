"""Who may import and export spreadsheets: one question, asked by the pages, the admin link and
the command alike."""


def can_import(user) -> bool:
    """Administrators only: the one role that may delete indicators (citiesalliance/roles.py).

    Imports rewrite many rows at once, so the gate is the Administrator's own permission rather
    than the officer's add/change permissions.
    """
    return bool(user and user.is_active and user.has_perm("indicators.delete_indicator"))
