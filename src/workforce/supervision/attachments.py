"""What evidence files a report accepts: the types, the size limit and a check that the content is what
its name says, each with a clear message."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# extension: (content type, signatures the file must start with)
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".ofd": ("application/ofd", _ZIP),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def max_bytes() -> int:
    return settings.SUPERVISION_ATTACHMENT_MAX_BYTES


def allowed_extensions_text() -> str:
    return "、".join(sorted({extension[1:].upper() for extension in ALLOWED_TYPES}))


def check_upload(upload) -> str:
    """The content type of an acceptable ``upload``; ``ValidationError`` with a message naming the file."""
    name = upload.name or ""
    extension = PurePosixPath(name).suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise ValidationError(_("不支持文件“%(name)s”的类型，只能上传 %(types)s 文件。")
                              % {"name": name, "types": allowed_extensions_text()}, code="type")
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    if upload.size > max_bytes():
        raise ValidationError(_("文件“%(name)s”大小为 %(size)s，超过了 %(limit)s 的上限。")
                              % {"name": name, "size": filesizeformat(upload.size),
                                 "limit": filesizeformat(max_bytes())}, code="size")
    content_type, signatures = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(_("文件“%(name)s”的内容与扩展名不符，请上传原始文件。") % {"name": name}, code="content")
    return content_type
