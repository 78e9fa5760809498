"""Hostile Office files for tests and ``bench/bench_hostile_files.py``: zip bombs and liars.

A bomb is a real, valid zip: a DOCX or XLSX whose main part is gigabytes of highly compressible
XML, a few megabytes on disk. Compressing gigabytes would take the suite minutes, so the deflate
stream is assembled: after a full flush deflate forgets its history, so one compressed block of
a 1 MiB chunk can be repeated as often as needed, and the CRC-32 of the repetition is combined
mathematically (zlib's ``crc32_combine``) instead of computed over the gigabytes.
"""

import struct
import zlib

MIB = 2**20
CHUNK = MIB

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    "%s</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    '%s" Target="%s"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --- CRC-32 of a repetition without reading it (port of zlib's crc32_combine) ---------------


def _gf2_times(mat: list[int], vec: int) -> int:
    total, i = 0, 0
    while vec:
        if vec & 1:
            total ^= mat[i]
        vec >>= 1
        i += 1
    return total


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _crc_repeated(chunk: bytes, times: int) -> int:
    crc, block, block_len = 0, zlib.crc32(chunk), len(chunk)  # block: crc of chunk × 2^k
    while times:
        if times & 1:
            crc = crc32_combine(crc, block, block_len)
        block = crc32_combine(block, block, block_len)
        block_len *= 2
        times >>= 1
    return crc


# --- a minimal zip writer that takes ready deflate streams ------------------------------------


class _Entry:
    def __init__(self, name: str, raw: bytes, crc: int, size: int):
        self.name, self.raw, self.crc, self.size = name.encode(), raw, crc, size


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _small(name: str, text: str) -> _Entry:
    data = text.encode()
    return _Entry(name, _deflate(data), zlib.crc32(data), len(data))


def _huge(name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> _Entry:
    """``head + chunk * times + tail`` as one deflate stream, built without compressing it all."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)]
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "a full flush must make the chunk's block repeatable"
    parts.append(block * times)
    parts.append(c.compress(tail) + c.flush())
    crc = zlib.crc32(head)
    crc = crc32_combine(crc, _crc_repeated(chunk, times), len(chunk) * times)
    crc = crc32_combine(crc, zlib.crc32(tail), len(tail))
    return _Entry(name, b"".join(parts), crc, len(head) + len(chunk) * times + len(tail))


def _zip(entries: list[_Entry], *, declared: dict[str, tuple[int, int]] | None = None) -> bytes:
    """A zip of deflated entries; ``declared`` (name → size, crc) makes the headers lie about a part."""
    declared = declared or {}
    out, central = bytearray(), bytearray()
    for e in entries:
        size, crc = declared.get(e.name.decode(), (e.size, e.crc))
        assert size < 2**32 and len(e.raw) < 2**32, "keep bombs under 4 GiB: no zip64 here"
        offset = len(out)
        fields = (20, 0, 8, 0, 0x21, crc, len(e.raw), size, len(e.name))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + e.name + e.raw
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + e.name
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out)


# --- the files ----------------------------------------------------------------------------------


def _docx_entries(document: _Entry) -> list[_Entry]:
    return [
        _small(
            "[Content_Types].xml",
            _CONTENT_TYPES % '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
        ),
        _small("_rels/.rels", _RELS % ("officeDocument", "word/document.xml")),
        document,
    ]


def _xlsx_entries(sheet: _Entry) -> list[_Entry]:
    return [
        _small(
            "[Content_Types].xml",
            _CONTENT_TYPES
            % (
                '<Override PartName="/xl/workbook.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            ),
        ),
        _small("_rels/.rels", _RELS % ("officeDocument", "xl/workbook.xml")),
        _small(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{S}" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="План" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
        _small("xl/_rels/workbook.xml.rels", _RELS % ("worksheet", "worksheets/sheet1.xml")),
        sheet,
    ]


_DOC_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
)
_DOC_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"
_ROW = b'<row><c t="inlineStr"><is><t>' + b"0" * 2000 + b"</t></is></c></row>"
_SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{S}"><sheetData>'.encode()
_SHEET_TAIL = b"</sheetData></worksheet>"
_ROWS_CHUNK = _ROW * (CHUNK // len(_ROW))


def docx_bomb(unpacked_mib: int = 2048) -> bytes:
    """A DOCX whose document.xml is one paragraph of ``unpacked_mib`` MiB of spaces."""
    return _zip(_docx_entries(_huge("word/document.xml", _DOC_HEAD, b" " * CHUNK, unpacked_mib, _DOC_TAIL)))


def xlsx_bomb(unpacked_mib: int = 2048) -> bytes:
    """An XLSX whose only sheet is ``unpacked_mib`` MiB of identical rows."""
    return _zip(
        _xlsx_entries(_huge("xl/worksheets/sheet1.xml", _SHEET_HEAD, _ROWS_CHUNK, unpacked_mib, _SHEET_TAIL))
    )


def xlsx_lying_about_size(
    unpacked_mib: int = 512, *, declared: int = 10_000, matching_crc: bool = False
) -> bytes:
    """An XLSX whose headers claim the big sheet is ``declared`` bytes: only a guarded read stops it.

    With ``matching_crc`` the header's checksum is that of the first ``declared`` bytes, so a
    reader that stops at the declared size sees a consistent (cut) part.
    """
    sheet = _huge("xl/worksheets/sheet1.xml", _SHEET_HEAD, _ROWS_CHUNK, unpacked_mib, _SHEET_TAIL)
    prefix = (_SHEET_HEAD + _ROWS_CHUNK * (declared // CHUNK + 1))[:declared]
    crc = zlib.crc32(prefix) if matching_crc else sheet.crc
    return _zip(_xlsx_entries(sheet), declared={"xl/worksheets/sheet1.xml": (declared, crc)})


def _laughs() -> list[str]:
    return ['<!ENTITY lol0 "лол">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]


def docx_with_entities() -> bytes:
    """«Billion laughs»: a DTD whose entities expand to gigabytes if a parser resolves them."""
    levels = _laughs()
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<!DOCTYPE w:document [{''.join(levels)}]>"
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "</w:body></w:document>"
    )
    return _zip(_docx_entries(_small("word/document.xml", document)))


def xlsx_with_entities() -> bytes:
    levels = _laughs()
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<!DOCTYPE worksheet [{''.join(levels)}]>"
        f'<worksheet xmlns="{S}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    return _zip(_xlsx_entries(_small("xl/worksheets/sheet1.xml", sheet)))


def many_parts_docx(parts: int = 5000) -> bytes:
    entries = _docx_entries(_small("word/document.xml", f'<w:document xmlns:w="{W}"><w:body/></w:document>'))
    entries += [_small(f"word/media/x{n}.xml", "<x/>") for n in range(parts)]
    return _zip(entries)
