"""``workforce enrolment-code USERNAME``: issue a one-time TOTP enrolment code from the command line.

For the first administrator of an installation (nobody can issue one on the pages yet) and for an
operator helping a user; the user pages do the same for the administrator (decision 0010).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from workforce.accounts.models import User
from workforce.accounts.services import issue_enrolment_code
from workforce.core.choices import Channel


class Command(BaseCommand):
    help = "Issue a one-time code with which USERNAME may enrol a TOTP device (earlier unused codes stop working)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        enrolment, code = issue_enrolment_code(user, acting_user=None, channel=Channel.SYSTEM)
        until = timezone.localtime(enrolment.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"Enrolment code for {username}: {code} (single use, valid until {until}).")
        self.stdout.write("Sign in with the password, enter the code on the 绑定动态口令 page, then scan the QR code.")
