//! Uploaded files: the type is detected from the content (never trusted from the name or the
//! browser), only document and image types are accepted, and the size is limited.

/// Largest accepted attachment.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// The accepted kinds, with the content type they are served as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    /// Word, Excel or PowerPoint (Office Open XML).
    OfficeOpenXml,
    /// OpenDocument (ODF).
    OpenDocument,
    /// Plain UTF-8 text (txt, csv).
    Text,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::OfficeOpenXml => "application/vnd.openxmlformats-officedocument",
            FileKind::OpenDocument => "application/vnd.oasis.opendocument",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Checks a file and tells what it is, or why it is refused (in Dutch).
pub fn check_attachment(file_name: &str, data: &[u8]) -> Result<FileKind, String> {
    let name = file_name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\']) || name.chars().any(crate::text::is_unsafe) {
        return Err("Geef het bestand een gewone naam (zonder mappen, besturingstekens of onzichtbare tekens zoals een richtingsteken, hoogstens 200 tekens).".into());
    }
    if data.is_empty() {
        return Err("Het bestand is leeg.".into());
    }
    if data.len() > MAX_ATTACHMENT_BYTES {
        return Err(format!("Het bestand is groter dan {} MB.", MAX_ATTACHMENT_BYTES / (1024 * 1024)));
    }
    let refused = || "Dit soort bestand wordt niet aangenomen. Toegestaan zijn PDF, PNG, JPEG, Word/Excel/PowerPoint, OpenDocument en platte tekst.".to_string();
    if data.starts_with(b"%PDF-") {
        return Ok(FileKind::Pdf);
    }
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(FileKind::Png);
    }
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(FileKind::Jpeg);
    }
    if data.starts_with(b"PK\x03\x04") {
        let head = &data[..data.len().min(64 * 1024)];
        if contains(head, b"[Content_Types].xml") {
            return Ok(FileKind::OfficeOpenXml);
        }
        if contains(&head[..head.len().min(128)], b"mimetypeapplication/vnd.oasis.opendocument") {
            return Ok(FileKind::OpenDocument);
        }
        return Err(refused());
    }
    // Plain text: valid UTF-8 without NUL, and not markup that a browser could run.
    if let Ok(text) = std::str::from_utf8(data) {
        let lower = text.trim_start_matches('\u{feff}').trim_start().to_lowercase();
        let markup = ["<!doctype", "<html", "<svg", "<script", "<?xml"].iter().any(|m| lower.starts_with(m));
        if !text.contains('\0') && !markup && !text.starts_with("#!") {
            return Ok(FileKind::Text);
        }
    }
    Err(refused())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_direction_overrides_or_invisible_characters_are_refused() {
        for name in ["factuur\u{202e}fdp.exe", "rapport\u{200b}.pdf", "\u{feff}rapport.pdf", "rap\u{1b}port.pdf"] {
            assert!(check_attachment(name, b"%PDF-1.7").is_err(), "{name:?}");
        }
        assert!(check_attachment("Rapport één.pdf", b"%PDF-1.7").is_ok());
    }

    #[test]
    fn types_are_detected_from_content() {
        let cases: &[(&str, &[u8], Option<FileKind>)] = &[
            ("rapport.pdf", b"%PDF-1.7\n...", Some(FileKind::Pdf)),
            ("foto.png", b"\x89PNG\r\n\x1a\n....", Some(FileKind::Png)),
            ("foto.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0], Some(FileKind::Jpeg)),
            ("notitie.txt", "Een notitie met één accent.".as_bytes(), Some(FileKind::Text)),
            ("brief.docx", b"PK\x03\x04....[Content_Types].xml....", Some(FileKind::OfficeOpenXml)),
            ("brief.odt", b"PK\x03\x04\x00\x00mimetypeapplication/vnd.oasis.opendocument.text", Some(FileKind::OpenDocument)),
            // A PDF by name but an executable by content.
            ("rapport.pdf", b"MZ\x90\x00\x03\x00", None),
            ("pagina.txt", b"<html><script>alert(1)</script></html>", None),
            ("plaatje.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
            ("script.sh", b"#!/bin/sh\nrm -rf /", None),
            ("archief.zip", b"PK\x03\x04random", None),
            ("leeg.txt", b"", None),
            ("../../etc/passwd", b"tekst", None),
        ];
        for (name, data, expected) in cases {
            assert_eq!(check_attachment(name, data).ok(), *expected, "{name}");
        }
        let big = vec![b'a'; MAX_ATTACHMENT_BYTES + 1];
        assert!(check_attachment("groot.txt", &big).is_err_and(|e| e.contains("groter dan 10 MB")));
    }
}
