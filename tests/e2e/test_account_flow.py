"""A member edits their profile (age shown to members only, bio in Markdown), then deletes their account and notes."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from notes.models import Note
from tests.e2e.marks import E2E
from tests.e2e.steps import PASSWORD, control, log_in, main
from tests.factories import NoteFactory, UserFactory

pytestmark = E2E


def test_member_edits_profile_then_deletes_account_and_notes(page: Page, new_page, mongo_db):
    fay = UserFactory(username="fay", password=PASSWORD)
    UserFactory(username="hal", password=PASSWORD)
    NoteFactory(owner_id=fay.pk, title="Fay's recipe", public=True)
    NoteFactory(owner_id=fay.pk, title="Fay's diary")
    NoteFactory(owner_id=UserFactory(username="gil").pk, title="Gil's recipe", public=True)
    notes = mongo_db[Note._meta.db_table]
    assert notes.count_documents({"owner_id": fay.pk}) == 2

    log_in(page, username="fay")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="fay", exact=True).click()
    control(main(page), "Edit profile").click()
    page.get_by_label("Display name").fill("Fay Fontaine")
    page.get_by_role("spinbutton", name="Age").fill("34")
    page.get_by_label("Bio").fill("Cooks on **Sundays**.")
    main(page).get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Profile saved.")
    expect(main(page).get_by_role("heading", name="Fay Fontaine", level=1)).to_be_visible()
    expect(main(page).locator("strong", has_text="Sundays")).to_be_visible()
    expect(main(page)).to_contain_text("34 (only you see it)")
    profile_url = page.url

    visitor, member = new_page(), new_page()
    visitor.goto(profile_url)
    expect(main(visitor)).to_contain_text("Cooks on Sundays.")
    expect(main(visitor)).not_to_contain_text("Age")
    log_in(member, username="hal")
    member.goto(profile_url)
    expect(main(member)).not_to_contain_text("Age")

    control(main(page), "Edit profile").click()
    page.get_by_label("Show my age to members").check()
    main(page).get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Profile saved.")
    member.reload()
    expect(main(member).get_by_role("definition").filter(has_text="34")).to_have_text("34")
    visitor.reload()
    expect(main(visitor)).not_to_contain_text("Age")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Fay Fontaine")).to_be_visible()
    expect(main(page).get_by_role("link", name="Fay's recipe")).to_be_visible()

    control(main(page), "Delete account").click()
    expect(main(page)).to_contain_text("2 notes")
    main(page).get_by_role("button", name="Delete the account and 2 notes").click()

    expect(page.get_by_role("status")).to_have_text("Your account was deleted, and your notes with it.")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.get_by_role("link", name="Public notes").click()
    expect(main(page).get_by_role("link", name="Gil's recipe")).to_be_visible()
    expect(main(page).get_by_role("link", name="Fay's recipe")).to_have_count(0)
    assert notes.count_documents({"owner_id": fay.pk}) == 0
    assert notes.count_documents({}) == 1

    page.goto("/users/login/")
    page.get_by_label("Username or email").fill("fay")
    page.get_by_label("Password").fill(PASSWORD)
    main(page).get_by_role("button", name="Log in").click()
    expect(main(page)).to_contain_text("do not match a member")
