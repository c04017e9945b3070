"""Sending an invitation by email, when a mail server is configured (EVENTSCHEMA_SMTP_*)."""

import asyncio
import logging
import smtplib
import ssl
from email.message import EmailMessage

from eventschema.invites.service import VALIDITY, CreatedInvite
from eventschema.settings import Settings

logger = logging.getLogger(__name__)


def enabled(settings: Settings) -> bool:
    return settings.smtp_host is not None


def invitation(settings: Settings, invite: CreatedInvite) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.smtp_from
    email["To"] = invite.invite["target_email"]
    email["Subject"] = f"You are invited to {invite.organization_name} on eventschema"
    hours = int(VALIDITY.total_seconds() // 3600)
    email.set_content(
        f"You have been invited to join {invite.organization_name}, to work on its tracking plan.\n\n"
        f"Set your password and join with this link (it works once, for {hours} hours):\n{invite.link}\n"
    )
    return email


def _send(settings: Settings, email: EmailMessage) -> None:
    assert settings.smtp_host is not None
    timeout = settings.smtp_timeout_seconds
    client: smtplib.SMTP
    if settings.smtp_security == "ssl":
        client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout)
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with client:
        if settings.smtp_security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            client.login(settings.smtp_username, settings.smtp_password or "")
        client.send_message(email)


async def send(settings: Settings, email: EmailMessage) -> bool:
    """Whether the mail server took the message; a failure is logged, the invitation stands (its link is
    shown to the inviter either way)."""
    try:
        await asyncio.to_thread(_send, settings, email)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("could not send the invitation to %s: %s", email["To"], exc)
        return False
    return True
