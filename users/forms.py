from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from users.models import User


class SignUpForm(UserCreationForm):
    """Create a member: username, email, public name, age and the password twice."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name", "age")
        help_texts = {
            "username": "Letters, digits and . + - _ only; 150 characters or fewer.",
            "display_name": "Shown next to your notes and in the directory; your username if left empty.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_username(self) -> str | None:
        """Keep `@` out of usernames, so that a login name that contains one is always an email."""
        username = self.cleaned_data.get("username")
        if username and "@" in username:
            raise ValidationError("Usernames cannot contain @.", code="username_at")
        return super().clean_username()


class LoginForm(AuthenticationForm):
    """Log in with a username or an email address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username or email and password do not match a member. The password is case-sensitive.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        identity = self.fields["username"]
        identity.label = "Username or email"
        identity.max_length = User._meta.get_field("email").max_length
        identity.validators.append(MaxLengthValidator(identity.max_length))  # setting max_length alone checks nothing
        identity.widget.attrs.update({"maxlength": identity.max_length, "autocomplete": "username"})


class ProfileForm(forms.ModelForm):
    """Edit the profile fields a member controls."""

    class Meta:
        model = User
        fields = ("display_name", "email", "age", "bio")
        help_texts = {
            "display_name": "Shown next to your notes and in the directory; your username if left empty.",
            "bio": "Up to 2000 characters, shown on your profile.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
