from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse, reverse_lazy
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from page_cache.fragments import MemberFragmentCacheMixin
from page_cache.paginator import LastPageRedirectMixin
from page_cache.views import AnonymousPageCacheMixin
from users.forms import LoginForm, MemberPasswordChangeForm, ProfileForm, SignUpForm
from users.models import User
from users.permissions import may_change_member
from users.services import user_delete, user_email_change_notify
from users.throttling import login_failures_forget
from users.topics import MEMBERS, member_topic

DIRECTORY_PAGE_SIZE = 25
MAX_QUERY_LENGTH = 100


class SignUpView(SuccessMessageMixin, CreateView):
    form_class = SignUpForm
    template_name = "users/signup.html"
    object: User

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return redirect("users:profile", pk=request.user.pk)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: ModelForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        login(self.request, self.object, backend="users.sessions.MemberBackend")
        return response

    def get_success_message(self, cleaned_data: dict[str, Any]) -> str:
        return f"Welcome to Polystore, {self.object.public_name}."

    def get_success_url(self) -> str:
        """A new member lands on the note editor, which welcomes them to their first note."""
        return reverse("notes:create")


class MemberLoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        """Where `next` says, unless it names this page (a member already here would loop): then my notes."""
        url = super().get_success_url()
        return resolve_url(settings.LOGIN_REDIRECT_URL) if urlsplit(url).path == self.request.path else url


class MemberLogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are logged out.")
        return response


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    form_class = MemberPasswordChangeForm
    template_name = "users/password_change.html"
    success_message = "Your password was changed."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def get_success_url(self) -> str:
        return reverse("users:profile", kwargs={"pk": self.request.user.pk})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "users/password_reset_form.html"
    email_template_name = "users/password_reset_email.txt"
    subject_template_name = "users/password_reset_subject.txt"
    success_url = reverse_lazy("users:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "users/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "users/password_reset_confirm.html"
    success_url = reverse_lazy("users:password_reset_complete")

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        """Set the new password, and lift a lockout on the account: the email proved who is asking."""
        response = super().form_valid(form)
        login_failures_forget(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "users/password_reset_complete.html"


class DirectoryView(AnonymousPageCacheMixin, MemberFragmentCacheMixin, LastPageRedirectMixin, ListView):
    """Active members by username; anyone may browse, staff may also search by email.

    Members may not: anyone may sign up, and whether a member matches a piece of an address
    answers "is this their email?", one character at a time (issue #15).
    """

    template_name = "users/directory.html"
    context_object_name = "members"
    paginate_by = DIRECTORY_PAGE_SIZE

    def page_topics(self) -> list[str]:
        return [MEMBERS]

    def shared_fragment(self) -> str | None:
        """Members share one directory; staff see emails."""
        return None if self.request.user.is_staff or self.request.user.is_superuser else "member"

    def get_queryset(self) -> QuerySet[User]:
        query = self.search_query()
        if "\x00" in query:  # no name holds one, and PostgreSQL refuses it in a query
            return User.objects.none()
        return User.objects.directory(query, by_email=self.request.user.is_staff)

    def search_query(self) -> str:
        return self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(query=self.search_query(), **kwargs)


class ProfileView(AnonymousPageCacheMixin, MemberFragmentCacheMixin, DetailView):
    template_name = "users/profile.html"
    context_object_name = "member"

    def page_topics(self) -> list[str]:
        return [member_topic(self.kwargs["pk"])]

    def shared_fragment(self) -> str | None:
        """Members share a profile that is not theirs; its member and staff see what they may change."""
        viewer = self.request.user
        if viewer.is_staff or viewer.is_superuser or viewer.pk == self.kwargs["pk"]:
            return None
        return "member"

    def get_queryset(self) -> QuerySet[User]:
        """Deactivated members are hidden from everyone but staff."""
        if self.request.user.is_staff:
            return User.objects.all()
        return User.objects.filter(is_active=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The member and the age the viewer may see; their notes' figures come from notes' `member_notes` template tag."""
        return super().get_context_data(
            may_change=may_change_member(self.request.user, self.object),
            shown_age=self.object.age_shown_to(self.request.user),
            **kwargs,
        )


class MemberChangeMixin(LoginRequiredMixin, SingleObjectMixin):
    """Look up the member in the URL; 403 unless the requester may change them."""

    model = User
    context_object_name: str | None = "member"
    object: User
    request: HttpRequest

    def get_object(self, queryset: QuerySet[User] | None = None) -> User:
        member = super().get_object(queryset)
        if not may_change_member(self.request.user, member):
            raise PermissionDenied
        return member


class ProfileUpdateView(MemberChangeMixin, SuccessMessageMixin, UpdateView):
    form_class = ProfileForm
    template_name = "users/profile_form.html"
    success_message = "Profile saved."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: ModelForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        profile = cast(ProfileForm, form)  # form_class
        if profile.email_changed:
            user_email_change_notify(user=self.object, previous_email=profile.previous_email)
        return response

    def get_success_url(self) -> str:
        return reverse("users:profile", kwargs={"pk": self.object.pk})


class AccountDeleteView(MemberChangeMixin, DeleteView):
    template_name = "users/confirm_delete.html"
    http_method_names = ["get", "post", "head", "options"]  # the confirmation form posts; no HTTP DELETE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(own_account=self.object.pk == self.request.user.pk, **kwargs)

    def form_valid(self, form: Form) -> HttpResponse:
        member = self.object
        own_account = member.pk == self.request.user.pk
        name = member.public_name
        user_delete(user=member)
        if own_account:
            logout(self.request)
            messages.success(self.request, "Your account was deleted, and your notes with it.")
            return HttpResponseRedirect(reverse("home:home"))
        messages.success(self.request, f"{name}’s account was deleted, and their notes with it.")
        return HttpResponseRedirect(reverse("users:directory"))
