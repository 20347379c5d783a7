import datetime as dt
import email
import socket
import sys
from email import policy

import pytest

from orderbook import Address, Customer, Invoice, InvoiceLine, Money, ValidationError
from orderbook.documents import Party, invoice_document, render_html
from orderbook.mail import MailError, build_email, default_body, send_email

controller_module = pytest.importorskip("aiosmtpd.controller")

DAY = dt.date(2027, 3, 1)
SELLER = Party(name="Tea Traders Ltd", billing_address=Address(city="Leith"))


def invoice(**fields):
    values = {
        "id": "i1",
        "customer_id": "c1",
        "currency": "EUR",
        "number": "INV-9",
        "status": "issued",
        "issued_on": DAY,
        "due_on": DAY + dt.timedelta(days=30),
        "lines": [InvoiceLine(quantity=2, unit_price=Money("50.00", "EUR"), tax_rate="0.2")],
    }
    values.update(fields)
    return Invoice(**values)


def document(name="Ольга Смирнова"):
    buyer = Customer(id="c1", name=name, currency="EUR", email="olga@example.com")
    return invoice_document(invoice(), buyer, SELLER)


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses one address."""

    refused = "nobody@example.com"

    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    server = controller_module.Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        yield server, inbox
    finally:
        server.stop()


def received(inbox):
    (envelope,) = inbox.envelopes
    return envelope, email.message_from_bytes(envelope.content, policy=policy.default)


def test_a_document_is_sent_to_a_real_smtp_server_and_arrives_with_its_attachment(smtp):
    server, inbox = smtp
    doc = document()
    message = build_email(doc, sender="billing@tea.example", to="olga@example.com")
    assert send_email(message, host=server.hostname, port=server.port) == ()
    envelope, got = received(inbox)
    assert envelope.mail_from == "billing@tea.example"
    assert envelope.rcpt_tos == ["olga@example.com"]
    assert got["Subject"] == "Invoice INV-9 from Tea Traders Ltd"
    text = got.get_body(preferencelist=("plain",)).get_content()
    assert text.replace("\r\n", "\n") == default_body(doc)
    assert text.startswith("Dear Ольга Смирнова,")
    (attachment,) = got.iter_attachments()
    sent = next(message.iter_attachments())
    assert attachment.get_filename() == sent.get_filename()
    assert attachment.get_content() == sent.get_content()


def test_the_pdf_is_attached_where_fpdf2_is_installed(smtp):
    pytest.importorskip("fpdf")
    server, inbox = smtp
    message = build_email(document(), sender="billing@tea.example", to="olga@example.com")
    send_email(message, host=server.hostname, port=server.port)
    _, got = received(inbox)
    (attachment,) = got.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "invoice-INV-9.pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    assert attachment.get_content() == next(message.iter_attachments()).get_content()


def test_the_html_page_is_attached_where_asked_or_where_fpdf2_is_missing(monkeypatch):
    doc = document()
    monkeypatch.setitem(sys.modules, "fpdf", None)
    message = build_email(doc, sender="billing@tea.example", to="olga@example.com")
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "text/html"
    assert attachment.get_filename() == "invoice-INV-9.html"
    assert attachment.get_content() == render_html(doc)
    with pytest.raises(Exception, match=r"orderbook\[pdf\]"):
        build_email(doc, sender="billing@tea.example", to="olga@example.com", attach="pdf")


def test_the_default_body_names_the_document_and_the_amount_due():
    assert default_body(document(name="AcmeCorp")) == (
        "Dear AcmeCorp,\n\n"
        "Please find attached our invoice INV-9.\n"
        "The amount due is EUR 120.00, due on 2027-03-31.\n\n"
        "Kind regards,\nTea Traders Ltd\n"
    )


def test_a_given_subject_body_copy_and_date_are_used():
    moment = dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)
    message = build_email(
        document(), sender="billing@tea.example", to=["a@example.com", "b@example.com"],
        cc="boss@example.com", subject="Your invoice", body="Hello\n", attach="html",
        date=moment,
    )  # fmt: skip
    assert message["To"] == "a@example.com, b@example.com"
    assert message["Cc"] == "boss@example.com"
    assert message["Subject"] == "Your invoice"
    assert message["Date"] == "Mon, 01 Mar 2027 09:30:00 +0000"
    assert message.get_body(preferencelist=("plain",)).get_content() == "Hello\n"


@pytest.mark.parametrize(
    ("field", "arguments"),
    [
        ("to", {"to": "not an address"}),
        ("to", {"to": []}),
        ("sender", {"sender": "x@example.com\nBcc: all@example.com"}),
        ("subject", {"subject": "Hi\nBcc: all@example.com"}),
        ("attach", {"attach": "docx"}),
        ("date", {"date": dt.datetime(2027, 3, 1)}),
    ],
)
def test_a_bad_address_subject_format_or_date_is_refused(field, arguments):
    values = {"sender": "billing@tea.example", "to": "olga@example.com", "attach": "html"}
    values.update(arguments)
    with pytest.raises(ValidationError) as caught:
        build_email(document(), **values)
    assert caught.value.field == field


def test_a_refused_recipient_is_reported_while_the_others_get_the_message(smtp):
    server, inbox = smtp
    message = build_email(
        document(), sender="billing@tea.example", to=["olga@example.com", Inbox.refused],
        attach="html",
    )  # fmt: skip
    assert send_email(message, host=server.hostname, port=server.port) == (Inbox.refused,)
    envelope, _ = received(inbox)
    assert envelope.rcpt_tos == ["olga@example.com"]


def test_a_server_that_cannot_be_reached_raises_a_mail_error():
    message = build_email(document(), sender="b@tea.example", to="o@example.com", attach="html")
    port = free_port()  # nothing listens there any more
    with pytest.raises(MailError) as caught:
        send_email(message, host="127.0.0.1", port=port, timeout=5)
    assert (caught.value.host, caught.value.port) == ("127.0.0.1", port)


def test_starttls_or_a_login_against_a_server_without_them_raises_a_mail_error(smtp):
    server, inbox = smtp
    message = build_email(document(), sender="b@tea.example", to="o@example.com", attach="html")
    with pytest.raises(MailError, match="STARTTLS"):
        send_email(message, host=server.hostname, port=server.port, starttls=True)
    with pytest.raises(MailError, match="AUTH"):
        send_email(message, host=server.hostname, port=server.port, credentials=("user", "secret"))
    assert inbox.envelopes == []


def test_only_an_email_message_can_be_sent():
    with pytest.raises(ValidationError, match="EmailMessage"):
        send_email("hello", host="127.0.0.1", port=25)
