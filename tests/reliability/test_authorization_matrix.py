"""Who may open what: every users, notes, home and health URL, and the admin, for each persona, as one table.

Each request is made in a fresh world (tests.reliability.routes.World): the owner of the note
or account in the URL, another member, a staff member without superuser status, a superuser, or
an anonymous visitor. On a URL about no one (the directory, sign-up, my notes) "owner" is simply
a member. A target's "(staff member)" or "(superuser)" makes the owner one: staff against staff,
and against superusers; "(new email)" posts a changed email with the sender's current password;
"(note in the trash)" puts the note in its owner's trash.
POSTs send what a browser would send to succeed. A cell is the status code, or "→ <view name>"
for a redirect. A GET, or a POST that is refused, must leave every stored member row and note as it was.
"""

from __future__ import annotations

import pytest

from tests.reliability.routes import URLCONFS, World, routes, view_name

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

PERSONAS = ("anonymous", "owner", "other", "staff", "superuser")
LOGIN = "→ users:login"
ADMIN_LOGIN = "→ admin:login"
PROFILE = "→ users:profile"
REFUSALS = {LOGIN, ADMIN_LOGIN, 403, 404, 405}

# fmt: off
MATRIX = [
    # URL name (and what it points at)           method  anonymous                      owner                          other member                   staff                          superuser
    ("users:directory",                          "GET",  200,                           200,                           200,                           200,                           200),
    ("users:signup",                             "GET",  200,                           PROFILE,                       PROFILE,                       PROFILE,                       PROFILE),
    ("users:signup",                             "POST", "→ notes:create",              PROFILE,                       PROFILE,                       PROFILE,                       PROFILE),
    ("users:login",                              "GET",  200,                           "→ notes:list",                "→ notes:list",                "→ notes:list",                "→ notes:list"),
    ("users:login",                              "POST", "→ notes:list",                "→ notes:list",                "→ notes:list",                "→ notes:list",                "→ notes:list"),
    ("users:logout",                             "GET",  405,                           405,                           405,                           405,                           405),
    ("users:logout",                             "POST", "→ home:home",                 "→ home:home",                 "→ home:home",                 "→ home:home",                 "→ home:home"),
    ("users:password_change",                    "GET",  LOGIN,                         200,                           200,                           200,                           200),
    ("users:password_change",                    "POST", LOGIN,                         PROFILE,                       PROFILE,                       PROFILE,                       PROFILE),
    ("users:password_reset",                     "GET",  200,                           200,                           200,                           200,                           200),
    ("users:password_reset",                     "POST", "→ users:password_reset_done", "→ users:password_reset_done", "→ users:password_reset_done", "→ users:password_reset_done", "→ users:password_reset_done"),
    ("users:password_reset_done",                "GET",  200,                           200,                           200,                           200,                           200),
    # The owner's emailed link: whoever holds it may set the password (it moves on to set-password/).
    ("users:password_reset_confirm",             "GET",  "→ users:password_reset_confirm", "→ users:password_reset_confirm", "→ users:password_reset_confirm", "→ users:password_reset_confirm", "→ users:password_reset_confirm"),
    ("users:password_reset_confirm",             "POST", "→ users:password_reset_confirm", "→ users:password_reset_confirm", "→ users:password_reset_confirm", "→ users:password_reset_confirm", "→ users:password_reset_confirm"),
    ("users:password_reset_complete",            "GET",  200,                           200,                           200,                           200,                           200),
    ("users:profile",                            "GET",  200,                           200,                           200,                           200,                           200),
    ("users:edit",                               "GET",  LOGIN,                         200,                           403,                           200,                           200),
    ("users:edit",                               "POST", LOGIN,                         PROFILE,                       403,                           PROFILE,                       PROFILE),
    ("users:edit (new email)",                   "POST", LOGIN,                         PROFILE,                       403,                           PROFILE,                       PROFILE),
    ("users:delete",                             "GET",  LOGIN,                         200,                           403,                           200,                           200),
    ("users:delete",                             "POST", LOGIN,                         "→ home:home",                 403,                           "→ users:directory",           "→ users:directory"),
    # Staff never change other staff, nor superusers: an email they set could reset the password.
    ("users:profile (staff member)",             "GET",  200,                           200,                           200,                           200,                           200),
    ("users:edit (staff member)",                "GET",  LOGIN,                         200,                           403,                           403,                           200),
    ("users:edit (staff member)",                "POST", LOGIN,                         PROFILE,                       403,                           403,                           PROFILE),
    ("users:edit (staff member, new email)",     "POST", LOGIN,                         PROFILE,                       403,                           403,                           PROFILE),
    ("users:delete (staff member)",              "GET",  LOGIN,                         200,                           403,                           403,                           200),
    ("users:delete (staff member)",              "POST", LOGIN,                         "→ home:home",                 403,                           403,                           "→ users:directory"),
    ("users:edit (superuser)",                   "GET",  LOGIN,                         200,                           403,                           403,                           200),
    ("users:edit (superuser, new email)",        "POST", LOGIN,                         PROFILE,                       403,                           403,                           PROFILE),
    ("users:delete (superuser)",                 "GET",  LOGIN,                         200,                           403,                           403,                           200),
    ("users:delete (superuser)",                 "POST", LOGIN,                         "→ home:home",                 403,                           403,                           "→ users:directory"),
    ("notes:list",                               "GET",  LOGIN,                         200,                           200,                           200,                           200),
    ("notes:public",                             "GET",  200,                           200,                           200,                           200,                           200),
    ("notes:create",                             "GET",  LOGIN,                         200,                           200,                           200,                           200),
    ("notes:create",                             "POST", LOGIN,                         "→ notes:detail",              "→ notes:detail",              "→ notes:detail",              "→ notes:detail"),
    ("notes:preview",                            "GET",  405,                           405,                           405,                           405,                           405),
    ("notes:preview",                            "POST", LOGIN,                         200,                           200,                           200,                           200),
    ("notes:detail",                             "GET",  404,                           200,                           404,                           200,                           200),
    ("notes:detail (public note)",               "GET",  200,                           200,                           200,                           200,                           200),
    ("notes:edit",                               "GET",  LOGIN,                         200,                           404,                           200,                           200),
    ("notes:edit",                               "POST", LOGIN,                         "→ notes:detail",              404,                           "→ notes:detail",              "→ notes:detail"),
    ("notes:edit (public note)",                 "POST", LOGIN,                         "→ notes:detail",              404,                           "→ notes:detail",              "→ notes:detail"),
    ("notes:delete",                             "GET",  LOGIN,                         200,                           404,                           200,                           200),
    ("notes:delete",                             "POST", LOGIN,                         "→ notes:list",                404,                           "→ notes:list",                "→ notes:list"),
    ("notes:delete (public note)",               "POST", LOGIN,                         "→ notes:list",                404,                           "→ notes:list",                "→ notes:list"),
    ("notes:pin",                                "GET",  405,                           405,                           405,                           405,                           405),
    ("notes:pin",                                "POST", LOGIN,                         "→ notes:detail",              404,                           "→ notes:detail",              "→ notes:detail"),
    ("notes:pin (public note)",                  "POST", LOGIN,                         "→ notes:detail",              404,                           "→ notes:detail",              "→ notes:detail"),
    ("notes:check",                              "GET",  405,                           405,                           405,                           405,                           405),
    ("notes:check",                              "POST", LOGIN,                         "→ notes:detail",              404,                           "→ notes:detail",              "→ notes:detail"),
    ("notes:check (public note)",                "POST", LOGIN,                         "→ notes:detail",              404,                           "→ notes:detail",              "→ notes:detail"),
    # The trash: a note in it is its owner's alone, staff included; nobody edits it.
    ("notes:trash",                              "GET",  LOGIN,                         200,                           200,                           200,                           200),
    ("notes:trash_empty",                        "GET",  LOGIN,                         200,                           200,                           200,                           200),
    ("notes:trash_empty (note in the trash)",    "POST", LOGIN,                         "→ notes:trash",               "→ notes:trash",               "→ notes:trash",               "→ notes:trash"),
    ("notes:detail (note in the trash)",         "GET",  404,                           200,                           404,                           404,                           404),
    ("notes:edit (note in the trash)",           "GET",  LOGIN,                         404,                           404,                           404,                           404),
    ("notes:edit (note in the trash)",           "POST", LOGIN,                         404,                           404,                           404,                           404),
    ("notes:delete (note in the trash)",         "POST", LOGIN,                         404,                           404,                           404,                           404),
    ("notes:pin (note in the trash)",            "POST", LOGIN,                         404,                           404,                           404,                           404),
    ("notes:restore",                            "GET",  405,                           405,                           405,                           405,                           405),
    ("notes:restore",                            "POST", LOGIN,                         404,                           404,                           404,                           404),
    ("notes:restore (note in the trash)",        "POST", LOGIN,                         "→ notes:detail",              404,                           404,                           404),
    ("notes:delete_forever",                     "GET",  LOGIN,                         404,                           404,                           404,                           404),
    ("notes:delete_forever (note in the trash)", "GET",  LOGIN,                         200,                           404,                           404,                           404),
    ("notes:delete_forever (note in the trash)", "POST", LOGIN,                         "→ notes:trash",               404,                           404,                           404),
    ("home:home",                                "GET",  200,                           200,                           200,                           200,                           200),
    ("health:readyz",                            "GET",  200,                           200,                           200,                           200,                           200),
    ("health:readyz",                            "POST", 405,                           405,                           405,                           405,                           405),
    ("health:status",                            "GET",  LOGIN,                         403,                           403,                           200,                           200),
    ("health:status",                            "POST", 405,                           405,                           405,                           405,                           405),
    # Export and import: each member's own notes, whoever they are.
    ("notes:transfer",                           "GET",  LOGIN,                         200,                           200,                           200,                           200),
    ("notes:transfer",                           "POST", LOGIN,                         "→ notes:list",                "→ notes:list",                "→ notes:list",                "→ notes:list"),
    ("notes:export_jsonl",                       "GET",  LOGIN,                         200,                           200,                           200,                           200),
    ("notes:export_markdown",                    "GET",  LOGIN,                         200,                           200,                           200,                           200),
    # The admin: "owner" and "other" are members without staff status; "staff" holds no permission.
    ("admin:index",                              "GET",  ADMIN_LOGIN,                   ADMIN_LOGIN,                   ADMIN_LOGIN,                   200,                           200),
    ("admin:users_user_changelist",              "GET",  ADMIN_LOGIN,                   ADMIN_LOGIN,                   ADMIN_LOGIN,                   403,                           200),
    ("admin:notes_note_changelist",              "GET",  ADMIN_LOGIN,                   ADMIN_LOGIN,                   ADMIN_LOGIN,                   403,                           200),
]
# fmt: on


def world_for(target: str) -> World:
    """A fresh world for a row's target: "(public note)", "(staff member)", "(superuser)", "(new email)", "(note in the trash)"."""
    kinds = [kind for kind in ("staff member", "superuser") if kind in target]
    return World.create(
        public="public note" in target,
        owner_kind=kinds[0] if kinds else "member",
        new_email="new email" in target,
        trashed="note in the trash" in target,
    )


def answer(world: World, persona: str, name: str, method: str, stored) -> int | str:
    """Make the request as `persona`; return its cell: the status, or where it redirects."""
    client = world.client(persona)
    before = stored()
    response = client.get(world.url(name)) if method == "GET" else client.post(world.url(name), world.post_data(name))
    cell = f"→ {view_name(response['Location'])}" if response.status_code in (301, 302) else response.status_code
    if (method == "GET" or cell in REFUSALS) and stored() != before:
        return f"{cell}, and stored data changed"
    return cell


@pytest.mark.parametrize("section", ["users:", "notes:", "home:", "health:", "admin:"])
def test_authorization_matrix(stored, section):
    """Compare whole rows: a failure lists every row that differs, each with all four personas."""
    rows = [row for row in MATRIX if row[0].startswith(section)]
    expected, observed = {}, {}
    for target, method, *cells in rows:
        name = target.split()[0]
        expected[f"{target} {method}"] = dict(zip(PERSONAS, cells, strict=True))
        observed[f"{target} {method}"] = {
            persona: answer(world_for(target), persona, name, method, stored) for persona in PERSONAS
        }

    assert observed == expected


def test_every_url_and_method_of_the_apps_has_a_row():
    served = {(name, method) for urlconf in URLCONFS for name, methods in routes(urlconf) for method in methods}
    rows = {(target.split()[0], method) for target, method, *_ in MATRIX if not target.startswith("admin:")}

    assert rows == served
