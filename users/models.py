from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models.functions import Lower

from users.topics import members_changed

MAX_AGE = 150
MAX_BIO_LENGTH = 2000


class MemberQuerySet(models.QuerySet["User"]):
    """Writes that send no post_save still drop the pages showing members (users.receivers does the rest)."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        members_changed(member.pk for member in created)
        return created

    def update(self, **kwargs: Any) -> int:
        member_ids = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        members_changed(member_ids)
        return updated


class MemberManager(UserManager.from_queryset(MemberQuerySet)):  # type: ignore[misc] # mypy refuses a computed base; the django-stubs plugin types it
    def get_by_natural_key(self, username: str) -> User:
        """Find a member by exact username, else by email compared case-insensitively.

        Usernames may contain `@`, so one member's username can equal another's email: the
        username wins, and the lookup never matches two rows.
        """
        try:
            return self.get(username=username)
        except self.model.DoesNotExist:
            return self.get(email__iexact=username)

    def directory(self, query: str = "", *, by_email: bool = False) -> models.QuerySet[User]:
        """Active members whose username or display name (or email, `by_email`) contains `query`, by username."""
        members = self.filter(is_active=True)
        if query:
            matches = models.Q(username__icontains=query) | models.Q(display_name__icontains=query)
            if by_email:
                matches |= models.Q(email__icontains=query)
            members = members.filter(matches)
        return members.order_by("username", "pk")


class User(AbstractUser):
    """A Polystore member; lives in the relational store. Their notes live in MongoDB."""

    email = models.EmailField("email address")
    display_name = models.CharField(max_length=100, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)])
    bio = models.TextField(max_length=MAX_BIO_LENGTH, blank=True, validators=[MaxLengthValidator(MAX_BIO_LENGTH)])

    objects: ClassVar[MemberManager] = MemberManager()

    class Meta:
        ordering = ["username"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.public_name

    def clean(self) -> None:
        """Reject an email another member holds in any letter case, as an error on the email field."""
        super().clean()
        if self.email and User.objects.filter(email__iexact=self.email).exclude(pk=self.pk).exists():
            raise ValidationError(
                {"email": ValidationError("A member with this email address already exists.", code="unique")}
            )

    @property
    def public_name(self) -> str:
        """The name shown next to a member's notes and in the directory."""
        return self.display_name or self.username
