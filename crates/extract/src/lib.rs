//! The text of an uploaded document, for search: PDF through `pdf-extract`, Word (Office Open
//! XML) and OpenDocument text by reading their XML parts with `zip` and `quick-xml`, plain text
//! as it is. Images and other Office files (spreadsheets, presentations) have no text here.
//!
//! Uploads are untrusted: the decompressed XML is read up to [`MAX_XML_BYTES`], the text kept
//! is cut at [`MAX_TEXT_CHARS`], and a panic inside the PDF library (it has them on malformed
//! files) is caught and reported as an unreadable file. The caller runs this off the async
//! threads.

use knooppunt_domain::attachment::FileKind;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// The most decompressed XML read from one Word or OpenDocument file.
pub const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;

/// The most text kept of one document.
pub const MAX_TEXT_CHARS: usize = 1_000_000;

/// What came out of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extracted {
    /// The document's text (whitespace tidied, at most [`MAX_TEXT_CHARS`]).
    Text(String),
    /// This kind of file has no text to extract (an image, a spreadsheet).
    NoText,
    /// The file could not be read; the reason, in Dutch.
    Unreadable(String),
}

/// The text of `data`, a file of `kind` (as `check_attachment` found it).
pub fn text_of(kind: FileKind, data: &[u8]) -> Extracted {
    let result = match kind {
        FileKind::Pdf => pdf(data),
        FileKind::OfficeOpenXml => zipped_xml(data, "word/document.xml", Dialect::Word),
        FileKind::OpenDocument => zipped_xml(data, "content.xml", Dialect::OpenDocument),
        FileKind::Text => Ok(Some(String::from_utf8_lossy(data).into_owned())),
        FileKind::Png | FileKind::Jpeg => Ok(None),
    };
    match result {
        Ok(Some(text)) => Extracted::Text(tidy(&text)),
        Ok(None) => Extracted::NoText,
        Err(reason) => Extracted::Unreadable(reason),
    }
}

fn pdf(data: &[u8]) -> Result<Option<String>, String> {
    let owned = data.to_vec();
    match std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&owned)) {
        Ok(Ok(text)) => Ok(Some(text)),
        Ok(Err(e)) => Err(format!("De tekst van deze PDF kon niet worden gelezen ({e}).")),
        Err(_) => Err("De tekst van deze PDF kon niet worden gelezen (het bestand is beschadigd of ongebruikelijk opgebouwd).".into()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Word,
    OpenDocument,
}

/// The text of the XML part `part` of a ZIP container; `None` when the part is absent (a
/// spreadsheet or presentation).
fn zipped_xml(data: &[u8], part: &str, dialect: Dialect) -> Result<Option<String>, String> {
    let unreadable = |e: &dyn std::fmt::Display| format!("Het bestand kon niet worden geopend ({e}).");
    let mut archive = zip::ZipArchive::new(Cursor::new(data)).map_err(|e| unreadable(&e))?;
    let mut xml = Vec::new();
    match archive.by_name(part) {
        Ok(file) => {
            file.take(MAX_XML_BYTES).read_to_end(&mut xml).map_err(|e| unreadable(&e))?;
        }
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(unreadable(&e)),
    }
    xml_text(&xml, dialect).map(Some)
}

/// Walks the XML: text runs joined, a paragraph, heading, line break or table cell ends a line,
/// a tab is a tab, OpenDocument's `text:s` is a space.
fn xml_text(xml: &[u8], dialect: Dialect) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut in_text = dialect == Dialect::OpenDocument;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let name = e.local_name();
                if dialect == Dialect::Word && name.as_ref() == b"t" {
                    in_text = true;
                }
            }
            Ok(Event::Empty(e)) => match (dialect, e.local_name().as_ref()) {
                (Dialect::Word, b"tab") | (Dialect::OpenDocument, b"tab") => out.push('\t'),
                (Dialect::Word, b"br" | b"cr") | (Dialect::OpenDocument, b"line-break") => out.push('\n'),
                (Dialect::OpenDocument, b"s") => out.push(' '),
                _ => {}
            },
            Ok(Event::End(e)) => match (dialect, e.local_name().as_ref()) {
                (Dialect::Word, b"t") => in_text = false,
                (Dialect::Word, b"p" | b"tc") | (Dialect::OpenDocument, b"p" | b"h" | b"table-cell") => out.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => match t.unescape() {
                Ok(s) => out.push_str(&s),
                Err(e) => return Err(format!("De tekst in het bestand is ongeldig ({e}).")),
            },
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("Het bestand bevat ongeldige XML ({e}).")),
        }
        if out.len() > MAX_TEXT_CHARS * 4 {
            break;
        }
        buf.clear();
    }
    Ok(out)
}

/// Lines trimmed, runs of blank lines and spaces made one, control characters dropped, cut at
/// [`MAX_TEXT_CHARS`].
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line: String = line.chars().filter(|c| !c.is_control() || *c == '\t').collect();
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&words.join(" "));
    }
    match out.char_indices().nth(MAX_TEXT_CHARS) {
        Some((cut, _)) => out[..cut].to_string(),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A ZIP container with the given parts (stored and deflated alike).
    pub(crate) fn container(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut out);
            for (name, body) in parts {
                let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
                if z.start_file(*name, options).is_err() || z.write_all(body.as_bytes()).is_err() {
                    return Vec::new();
                }
            }
            if z.finish().is_err() {
                return Vec::new();
            }
        }
        out.into_inner()
    }

    #[test]
    fn word_text_comes_out_in_paragraphs() {
        let doc = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:r><w:t>Sluiting na </w:t></w:r><w:r><w:t>art. 13b Opiumwet</w:t></w:r></w:p>
            <w:p><w:r><w:t>Damocles &amp; Bibob</w:t><w:tab/><w:t>hennepkwekerij</w:t></w:r></w:p></w:body></w:document>"#;
        let data = container(&[("[Content_Types].xml", "<Types/>"), ("word/document.xml", doc)]);
        assert_eq!(text_of(FileKind::OfficeOpenXml, &data), Extracted::Text("Sluiting na art. 13b Opiumwet\nDamocles & Bibob hennepkwekerij".into()));
        // A spreadsheet has no document part: no text, not an error.
        let sheet = container(&[("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")]);
        assert_eq!(text_of(FileKind::OfficeOpenXml, &sheet), Extracted::NoText);
    }

    #[test]
    fn opendocument_text_comes_out_in_paragraphs() {
        let content = r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
            <text:h>Handreiking</text:h><text:p>Vakantieparken<text:s/>en <text:span>ondermijning</text:span></text:p></office:text></office:body></office:document-content>"#;
        let data = container(&[("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", content)]);
        assert_eq!(text_of(FileKind::OpenDocument, &data), Extracted::Text("Handreiking\nVakantieparken en ondermijning".into()));
    }

    #[test]
    fn pdf_text_comes_out() -> Result<(), String> {
        let doc = knooppunt_pdf::Document {
            title: "Handreiking".into(),
            language: "nl".into(),
            blocks: vec![
                knooppunt_pdf::Block::Heading("Sluiting van een hennepkwekerij".into()),
                knooppunt_pdf::Block::Paragraph("De burgemeester gebruikt art. 13b Opiumwet.".into()),
            ],
            footer: "knooppunt".into(),
        };
        let data = knooppunt_pdf::render(&doc).map_err(|e| e.to_string())?;
        let Extracted::Text(text) = text_of(FileKind::Pdf, &data) else { return Err("no text".into()) };
        assert!(text.contains("hennepkwekerij") && text.contains("art. 13b Opiumwet"), "{text}");
        Ok(())
    }

    #[test]
    fn broken_files_are_unreadable_not_a_crash() {
        for kind in [FileKind::Pdf, FileKind::OfficeOpenXml, FileKind::OpenDocument] {
            assert!(matches!(text_of(kind, b"PK\x03\x04 niet echt"), Extracted::Unreadable(_)), "{kind:?}");
        }
        assert!(matches!(text_of(FileKind::Pdf, b"%PDF-1.7\n%%EOF"), Extracted::Unreadable(_)));
        let bad_xml = container(&[("word/document.xml", "<w:document><w:t>open")]);
        assert!(matches!(text_of(FileKind::OfficeOpenXml, &bad_xml), Extracted::Unreadable(_) | Extracted::Text(_)));
        assert_eq!(text_of(FileKind::Png, b"\x89PNG"), Extracted::NoText);
    }

    #[test]
    fn text_is_tidied_and_bounded() {
        assert_eq!(tidy("  a   b \n\n\n c\u{7}d \n"), "a b\n\ncd");
        assert_eq!(tidy(&"x".repeat(MAX_TEXT_CHARS + 10)).len(), MAX_TEXT_CHARS);
    }
}
