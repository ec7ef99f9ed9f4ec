from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest

from users.models import User
from users.throttling import login_warning, password_confirms


def with_login_warning(request: HttpRequest, error: ValidationError) -> ValidationError:
    """Add the warning that the next failure locks the account (or the address) to a refused password's error."""
    warning = login_warning(request)
    return error if warning is None else ValidationError([error, ValidationError(warning, code="last_attempt")])


class SignUpForm(UserCreationForm):
    """Create a member: username, email, public name, age (and whether members see it) and the password twice."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name", "age", "show_age")
        help_texts = {
            "display_name": "Shown next to your notes and in the directory; your username if left empty.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class LoginForm(AuthenticationForm):
    """Log in with a username or an email address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username or email and password do not match a member. The password is case-sensitive.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        identity = cast(forms.CharField, self.fields["username"])
        identity.label = "Username or email"
        identity.max_length = User._meta.get_field("email").max_length
        identity.validators.append(MaxLengthValidator(identity.max_length))  # setting max_length alone checks nothing
        identity.widget.attrs.update({"maxlength": identity.max_length, "autocomplete": "username"})

    def get_invalid_login_error(self) -> ValidationError:
        return with_login_warning(cast(HttpRequest, self.request), super().get_invalid_login_error())


class ProfileForm(forms.ModelForm):
    """Edit the profile fields a member controls; a new email needs the editor's current password."""

    current_password = forms.CharField(
        label="Your current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change the email address.",
    )

    class Meta:
        model = User
        fields = ("display_name", "email", "age", "show_age", "bio")
        help_texts = {
            "display_name": "Shown next to your notes and in the directory; your username if left empty.",
            "bio": "Up to 2000 characters, shown on your profile. Markdown, as in notes; raw HTML is shown as text.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.previous_email = self.instance.email

    @property
    def email_changed(self) -> bool:
        """Whether the email becomes another address (a change of letter case only reaches the same mailbox)."""
        return self.cleaned_data.get("email", self.previous_email).lower() != self.previous_email.lower()

    def clean(self) -> dict[str, Any]:
        """Ask whoever changes the email for their own password: an email is the key to a password reset."""
        super().clean()
        cleaned = self.cleaned_data
        if self.email_changed:
            password = cleaned.get("current_password", "")
            if not password or not password_confirms(
                request=self.request, user=cast(User, self.request.user), password=password
            ):
                needed = ValidationError(
                    "Enter your current password to change the email address.", code="password_needed"
                )
                self.add_error("current_password", with_login_warning(self.request, needed))
        return cleaned


class MemberPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked (and throttled) as a login is."""

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not password_confirms(request=self.request, user=self.user, password=old_password):
            incorrect = ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
            raise with_login_warning(self.request, incorrect)
        return old_password
