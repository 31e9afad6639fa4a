"""Evidence uploads: the type comes from the content, never from the name."""
import io
import zipfile

from models.attachment import safe_filename  # noqa: F401 (kept here for the upload code's callers)

ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
}
ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,.docx"


def sniff(data: bytes):
    """The MIME type of the content if it is one we accept, else None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def read_upload(storage, max_size):
    """Read a FileStorage: (filename, content_type, data) or raise ValueError with a Chinese message."""
    data = storage.read(max_size + 1)
    if len(data) > max_size:
        raise ValueError(f"文件超过大小限制（{max_size // (1024 * 1024)} MB）")
    if not data:
        raise ValueError("文件为空")
    content_type = sniff(data)
    if content_type is None:
        raise ValueError("文件类型不受支持：只接受 PDF、JPG、PNG、DOCX（按文件内容识别）")
    return safe_filename(storage.filename), content_type, data
