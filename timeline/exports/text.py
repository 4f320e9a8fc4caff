"""Text from articles made safe for the formats it leaves in: XML, HTML fragments, iCalendar.

News text is data: whatever characters an article held, one item must never make a feed
unparsable, run as HTML on a site that embeds an export, or start a line of a calendar.
"""

from __future__ import annotations

import re

from django.utils.html import escape

# Characters XML 1.0 does not allow, even escaped: C0 controls but tab, newline and carriage
# return; lone surrogates; U+FFFE and U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Controls iCalendar's TEXT values may not hold (RFC 5545 §3.3.11); line breaks are kept for the
# writer to escape as `\n`.
_ICS_INVALID = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry."""
    return _XML_INVALID.sub("", value)


def html_text(value: str) -> str:
    """`value` as HTML text: escaped, so markup from an article shows as text, never as markup."""
    return escape(xml_text(value))


def ics_text(value: str) -> str:
    """`value` ready for an iCalendar TEXT value: line breaks as one newline, which the `icalendar`
    writer escapes as `\\n` with the commas and semicolons, and the other controls dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _ICS_INVALID.sub("", value)
