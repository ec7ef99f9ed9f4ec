from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower


class MemberManager(UserManager):
    def get_by_natural_key(self, username: str) -> User:
        """Find a member by username, or by email compared case-insensitively."""
        return self.get(models.Q(username=username) | models.Q(email__iexact=username))


class User(AbstractUser):
    """A Polystore member; lives in the relational store. Their notes live in MongoDB."""

    email = models.EmailField("email address")
    display_name = models.CharField(max_length=100, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(150)])
    bio = models.TextField(max_length=2000, blank=True)

    objects = MemberManager()

    class Meta:
        ordering = ["username"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name shown next to a member's notes and in the directory."""
        return self.display_name or self.username
