"""The sandbox's certificates do not depend on the date (TLS verification reads the operating system's clock)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509

from compiler.sandbox.tls import NOT_AFTER, NOT_BEFORE, ensure_certificates


def _window(path: Path) -> tuple[dt.datetime, dt.datetime]:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    return cert.not_valid_before_utc, cert.not_valid_after_utc


def test_certificates_are_valid_from_2000_to_9999_whatever_the_clock(tmp_path: Path) -> None:
    ca_file, cert_file, _ = ensure_certificates(tmp_path)
    assert _window(ca_file) == _window(cert_file) == (NOT_BEFORE, NOT_AFTER)
    assert NOT_BEFORE.year == 2000 and NOT_AFTER.year == 9999


def test_certificates_are_reused_and_an_unreadable_one_is_replaced(tmp_path: Path) -> None:
    ca_file, _, _ = ensure_certificates(tmp_path)
    first = ca_file.read_bytes()
    assert ensure_certificates(tmp_path)[0].read_bytes() == first  # clients already configured keep trusting it
    ca_file.write_text("not a certificate", encoding="utf-8")
    assert _window(ensure_certificates(tmp_path)[0]) == (NOT_BEFORE, NOT_AFTER)
