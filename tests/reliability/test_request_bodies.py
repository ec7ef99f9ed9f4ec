"""Request bodies over the limit are refused unread, files are skipped where no page takes them (issue #15, item 3)."""

from __future__ import annotations

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.reliability.urls_with_uploads import UPLOAD_LIMIT

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

MiB = 1024 * 1024


def upload(size: int) -> dict[str, SimpleUploadedFile]:
    return {"username": "alice", "password": "x", "file": SimpleUploadedFile("big.bin", b"\0" * size)}


@pytest.fixture
def temp_dir(tmp_path, settings):
    """Where Django would write uploads too large to keep in memory."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", [reverse("users:login"), "/no/such/page/"])
def test_an_anonymous_upload_over_the_limit_is_a_413_before_csrf_or_404(path, settings, temp_dir):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("users:login"))  # a CSRF cookie, as the attacker had

    response = client.post(path, upload(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))

    assert response.status_code == 413
    assert b"Request body too large" in response.content
    assert list(temp_dir.iterdir()) == []


def test_a_form_over_the_limit_is_a_413_and_stores_nothing(alice_client, alice_note, stored, settings):
    before = stored()

    response = alice_client.post(
        reverse("notes:edit", args=[alice_note.pk]),
        f"title=x&body={'x' * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert stored() == before


def test_files_are_skipped_where_no_page_takes_them(settings):
    settings.ROOT_URLCONF = "tests.reliability.urls_with_uploads"

    response = Client().post("/test/no-files/", upload(1000))

    assert response.content == b"0 0"


def test_a_view_may_opt_in_to_a_larger_bounded_body_with_files(settings, temp_dir):
    settings.ROOT_URLCONF = "tests.reliability.urls_with_uploads"
    within = 3 * MiB

    assert Client().post("/test/upload/", upload(within)).content == f"1 {within}".encode()
    assert Client().post("/test/upload/", upload(UPLOAD_LIMIT)).status_code == 413
    assert list(temp_dir.iterdir()) == []


def test_gunicorn_answers_a_huge_body_413_without_waiting_for_it(served):
    """Only the headers are sent: an app that read the body would wait for 500 MiB that never come."""
    with socket.create_connection(("127.0.0.1", served), timeout=10) as connection:
        connection.sendall(
            b"POST /users/login/ HTTP/1.1\r\nHost: polystore.test\r\nX-Forwarded-Proto: https\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 524288000\r\n\r\n"
        )
        status_line = connection.recv(4096).split(b"\r\n", 1)[0]

    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
