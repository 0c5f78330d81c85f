"""Communique: publish official documents as an archival PDF and an editable DOCX."""

__version__ = "0.1.0"
