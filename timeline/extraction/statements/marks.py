"""Quotation marks: the runs of quoted text in an article, paragraph by paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from timeline.extraction.statements.vocabulary import _OPEN_MARKS, _SMALL_WORDS


@dataclass
class _Piece:
    """One run of quoted text inside one paragraph."""

    open: int  # char index of the opening mark
    close: int  # char index just after the closing mark (or the paragraph end)
    cstart: int  # the content, inside the marks
    cend: int
    closed: bool = True
    continued: bool = False  # continues a quote from the paragraph before
    continues: bool = False  # runs on into the next paragraph
    single: bool = False


def _find_quotes(text: str) -> list[_Piece]:
    """Runs of quoted text, one per paragraph, linked across paragraphs when a quote runs on."""
    pieces: list[_Piece] = []
    pos = 0
    carry = False  # the last paragraph ended inside a quote
    lines = text.split("\n")
    for n, line in enumerate(lines):
        base = pos
        pos += len(line) + 1
        stripped = line.lstrip()
        if not stripped:
            continue
        lead = len(line) - len(stripped)
        if carry and stripped[0] not in _OPEN_MARKS and pieces:
            pieces[-1].continues = False
        continued = carry and stripped[0] in _OPEN_MARKS
        carry = False
        open_at: int | None = None
        mark = ""
        depth = 0
        single_open: int | None = None
        for i, ch in enumerate(line):
            at = base + i
            prev = line[i - 1] if i > 0 else " "
            nxt = line[i + 1] if i + 1 < len(line) else " "
            if open_at is None:
                if (
                    ch == "“"
                    or (ch == '"' and (prev.isspace() or prev in "([—–-/"))
                    or (ch == "”" and i == lead and nxt.isalnum())  # a typo'd opening mark
                ):
                    if ch == "”":
                        ch = "“"
                    open_at, mark, depth = at, ch, 0
                    single_open = None
                elif ch == "‘" and (prev.isspace() or prev in '([—–-"“') and nxt.isalnum():
                    if single_open is None:
                        single_open = at
                elif ch == "’" and single_open is not None and not nxt.isalnum():
                    pieces.append(_content(text, single_open, at + 1, True, single=True))
                    single_open = None
            elif ch == "“" and mark == "“" and (prev.isspace() or prev in "([—–-"):
                depth += 1  # a quote inside the quote: “… what he calls “hell” …”
            elif ch == "”" and depth:
                depth -= 1
            elif ch == "”" or (ch == '"' and (mark == '"' or not nxt.isalnum())):
                # either closing mark ends either opening one: writers mix “…" and "…”
                pieces.append(_content(text, open_at, at + 1, True))
                if continued and pieces[-1].open == base + lead:
                    pieces[-1].continued = True
                continued = False
                open_at = None
        if open_at is not None:
            end = base + len(line.rstrip())
            piece = _content(text, open_at, end, False)
            piece.continued = continued and open_at == base + lead
            # does the quote run on into the next paragraph?
            following = next((x.lstrip() for x in lines[n + 1 :] if x.strip()), "")
            if following[:1] in _OPEN_MARKS and following[:1] != "‘":
                piece.continues = True
                carry = True
            pieces.append(piece)
    return pieces


def _looks_like_title(content: str) -> bool:
    """ "Fox and Friends", "The Apprentice": every word capitalised, no sentence inside."""
    words = content.rstrip(".,").split()
    if not words or len(words) > 7 or content.rstrip().endswith(("?", "!")):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w in _SMALL_WORDS for w in words) and any(
        w[:1].isupper() for w in words
    )


def _content(text: str, open_at: int, close: int, closed: bool, single: bool = False) -> _Piece:
    cstart = open_at + 1
    cend = close - 1 if closed else close
    while cstart < cend and text[cstart].isspace():
        cstart += 1
    while cend > cstart and (text[cend - 1].isspace() or text[cend - 1] == ","):
        cend -= 1
    return _Piece(open_at, close, cstart, cend, closed=closed, single=single)
