"""Read a PDF as a reader would: its pages' text (pypdf), page size and the fonts it embeds."""
import io

import pypdf


def reader(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return pypdf.PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    """Each page's text, whitespace collapsed to single spaces."""
    return [" ".join(page.extract_text().split()) for page in reader(data).pages]


def fonts(data: bytes) -> set[str]:
    names = set()
    for page in reader(data).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names
