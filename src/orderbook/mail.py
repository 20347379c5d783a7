"""E-mail a document to its recipient: build the message, then send it over SMTP.

:func:`build_email` is pure: it returns an :class:`email.message.EmailMessage` with a short
text body and the document attached, as a PDF where the ``pdf`` extra is installed and as an
HTML page otherwise. :func:`send_email` hands a message to an SMTP server with
:mod:`smtplib`; what goes wrong on the way is raised as a :class:`MailError`.

>>> from orderbook.documents import Document, Party
>>> invoice = Document(kind="invoice", number="INV-7", currency="EUR",
...                    issuer=Party(name="Tea Traders Ltd"), recipient=Party(name="AcmeCorp"))
>>> message = build_email(invoice, sender="billing@tea.example", to="ap@acme.example",
...                       attach="html")
>>> message["Subject"], [part.get_filename() for part in message.iter_attachments()]
('Invoice INV-7 from Tea Traders Ltd', ['invoice-INV-7.html'])
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime

from orderbook.documents import Document, format_date, format_money, render_html
from orderbook.documents.pdf import pdf_available, render_pdf
from orderbook.errors import OrderbookError, ValidationError

__all__ = ["MailError", "build_email", "default_body", "send_email"]


class MailError(OrderbookError):
    """The message could not be handed to the SMTP server; ``reason`` says why."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(
            f"could not send mail through {host}:{port}: {reason}",
            host=host,
            port=port,
            reason=reason,
        )
        self.host = host
        self.port = port
        self.reason = reason


def default_body(document: Document) -> str:
    """Return the text a document is sent with: a greeting, what is attached, what is due.

    >>> from orderbook.documents import Party
    >>> print(default_body(Document(kind="delivery_note", number="DN-3", currency="EUR",
    ...     issuer=Party(name="Tea Traders Ltd"), recipient=Party(name="AcmeCorp"))))
    Dear AcmeCorp,
    <BLANKLINE>
    Please find attached our delivery note DN-3.
    <BLANKLINE>
    Kind regards,
    Tea Traders Ltd
    """
    lines = [
        f"Dear {document.recipient.name},",
        "",
        f"Please find attached our {document.kind.heading.lower()} {document.number}.",
    ]
    payment = document.payment
    if payment is not None and payment.outstanding.amount > 0:
        due = next((d.date for d in document.dates if d.label == "Due date"), None)
        when = f", due on {format_date(due)}" if due else ""
        lines.append(f"The amount due is {format_money(payment.outstanding)}{when}.")
    lines += ["", "Kind regards,", document.issuer.name]
    return "\n".join(lines) + "\n"


def _addresses(name: str, value: str | Sequence[str]) -> str:
    items = [value] if isinstance(value, str) else list(value)
    if not items or not all(isinstance(item, str) and "@" in item for item in items):
        raise ValidationError(name, value, "must be one or more e-mail addresses")
    if any("\n" in item or "\r" in item for item in items):
        raise ValidationError(name, value, "must not contain line breaks")
    return ", ".join(items)


def build_email(
    document: Document,
    *,
    sender: str,
    to: str | Sequence[str],
    subject: str | None = None,
    body: str | None = None,
    cc: str | Sequence[str] = (),
    attach: str | None = None,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """Build the e-mail that sends a document, with the document attached.

    Args:
        document: the document to send.
        sender: the From address.
        to: the recipient's address, or several.
        subject: the subject; by default the document's title and the issuer's name.
        body: the text of the message; by default :func:`default_body`.
        cc: addresses to copy.
        attach: ``"pdf"`` or ``"html"``; by default a PDF where the ``pdf`` extra is
            installed and an HTML page otherwise.
        date: the Date header, timezone-aware; left for the mail server to add by default.

    Returns:
        the message, ready for :func:`send_email` or any other mailer.

    Raises:
        ValidationError: the document is not a Document, an address is not one, ``attach``
            is neither format, or ``date`` is naive.
        OrderbookError: ``attach="pdf"`` but the ``pdf`` extra is not installed.
    """
    if not isinstance(document, Document):
        raise ValidationError("document", document, "must be a Document")
    kind = attach if attach is not None else ("pdf" if pdf_available() else "html")
    if kind not in ("pdf", "html"):
        raise ValidationError("attach", attach, "must be 'pdf' or 'html'")
    if date is not None and (not isinstance(date, dt.datetime) or date.utcoffset() is None):
        raise ValidationError("date", date, "must be a timezone-aware datetime")
    message = EmailMessage()
    message["From"] = _addresses("sender", sender)
    message["To"] = _addresses("to", to)
    if cc:
        message["Cc"] = _addresses("cc", cc)
    if subject is None:
        subject = " ".join(f"{document.title} from {document.issuer.name}".split())
    elif not isinstance(subject, str) or "\n" in subject or "\r" in subject:
        raise ValidationError("subject", subject, "must be a str on one line")
    message["Subject"] = subject
    if date is not None:
        message["Date"] = format_datetime(date)
    message.set_content(body if body is not None else default_body(document))
    filename = f"{document.filename}.{kind}"
    if kind == "pdf":
        message.add_attachment(
            render_pdf(document), maintype="application", subtype="pdf", filename=filename
        )
    else:
        message.add_attachment(render_html(document), subtype="html", filename=filename)
    return message


def send_email(
    message: EmailMessage,
    *,
    host: str,
    port: int = 25,
    starttls: bool = False,
    credentials: tuple[str, str] | None = None,
    timeout: float = 30.0,
    context: ssl.SSLContext | None = None,
) -> tuple[str, ...]:
    """Send a message through an SMTP server.

    Args:
        message: the message, e.g. from :func:`build_email`.
        host, port: the SMTP server.
        starttls: upgrade the connection to TLS before logging in and sending.
        credentials: ``(user, password)`` to log in with, if the server needs it.
        timeout: seconds to wait for the server.
        context: the TLS context for ``starttls``; the system's default by default.

    Returns:
        the recipients the server refused, sorted; empty when it took them all.

    Raises:
        ValidationError: ``message`` is not an EmailMessage.
        MailError: the server could not be reached, refused to log in, or refused the
            message or every recipient.
    """
    if not isinstance(message, EmailMessage):
        raise ValidationError("message", message, "must be an email.message.EmailMessage")
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as server:
            if starttls:
                server.starttls(context=context or ssl.create_default_context())
            if credentials is not None:
                server.login(*credentials)
            refused = server.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(host, port, str(error) or type(error).__name__) from error
    return tuple(sorted(refused))
