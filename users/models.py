from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser, AnonymousUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

from users.topics import members_changed

MAX_AGE = 150
MAX_BIO_LENGTH = 2000
MAX_USERNAME_LENGTH = 150
# The one statement of the username rules: the sign-up help, the error and the validator all use it.
# No @, so that a login name that contains one is always an email.
USERNAME_RULES = f"Letters, digits and . + - _ only (no @ or spaces); {MAX_USERNAME_LENGTH} characters or fewer."
validate_username = RegexValidator(r"^[\w.+-]+\Z", USERNAME_RULES, code="invalid")


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
        """Find a member by username, exact then in any case, else by email in any case.

        Older usernames may contain `@`, so one member's username can equal another's email: the
        username wins, and the lookup never matches two rows.
        """
        for lookup in ({"username": username}, {"username__iexact": username}, {"email__iexact": username}):
            try:
                return self.get(**lookup)
            except (self.model.DoesNotExist, self.model.MultipleObjectsReturned):
                continue  # several names in other cases (made before sign-up refused them): only the exact one logs in
        raise self.model.DoesNotExist(f"No member is called {username!r}.")

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

    username = models.CharField(
        "username",
        max_length=MAX_USERNAME_LENGTH,
        unique=True,
        help_text=USERNAME_RULES,
        validators=[validate_username],
        error_messages={"unique": "A user with that username already exists."},
    )
    email = models.EmailField("email address")
    display_name = models.CharField(max_length=100, blank=True)
    age = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AGE)],
        help_text="Only you see it, unless you choose to show it to members.",
    )
    # A database default too: a row inserted by older code (a web replica mid-deploy) hides the age.
    show_age = models.BooleanField(
        "show my age to members",
        default=False,
        db_default=False,
        help_text="Members who are logged in see it on your profile; visitors never do.",
    )
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

    def age_shown_to(self, viewer: AbstractBaseUser | AnonymousUser) -> int | None:
        """Return the age `viewer` may see: their own always, another member's if shown to members, else None."""
        if viewer.pk == self.pk or (self.show_age and viewer.is_authenticated):
            return self.age
        return None
