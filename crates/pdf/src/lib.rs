//! Printable documents as real PDF files: a title, headings, paragraphs, facts (label and value)
//! and tables, laid out on A4 pages with page numbers, in DejaVu Sans (embedded and subsetted by
//! krilla, so every Dutch character is there and the text can be selected and searched), and
//! tagged: a structure tree in reading order (H1–H3, P, Table with Caption, TH and TD), the
//! document's language and title, page furniture as artifacts, so screen readers read it as the
//! page reads. Pure: a [`Document`] in, the bytes of the PDF out; no clock, no files.
//!
//! Layout happens first (lines measured with the font's own advance widths, wrapped at word
//! boundaries, rows kept whole, pages broken where the next line does not fit), then every page
//! is drawn, so the footer can say "pagina 2 van 3".

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.0;
const BOTTOM: f32 = PAGE_H - 64.0;
const BODY: f32 = 10.0;
const LEADING: f32 = 1.35;
const CELL_PAD: f32 = 4.0;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("het lettertype kon niet worden geladen")]
    Font,
    #[error("de PDF kon niet worden opgebouwd: {0}")]
    Build(String),
}

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A heading inside a section.
    Subheading(String),
    Paragraph(String),
    /// Label and value pairs, as on a form.
    Facts(Vec<(String, String)>),
    /// A table: its caption, column headers, rows, and the share of the width of each column
    /// (any positive numbers; equal when empty or of the wrong length).
    Table {
        caption: String,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<f32>,
    },
}

/// A document: its title (also the PDF's title), language, blocks and the footer's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    /// BCP 47, `nl` for every document of knooppunt.
    pub language: String,
    pub blocks: Vec<Block>,
    /// Left in the footer of every page (the right says which page of how many).
    pub footer: String,
}

/// The fonts and their metrics.
struct Fonts {
    regular: Font,
    bold: Font,
    regular_ref: skrifa::FontRef<'static>,
    bold_ref: skrifa::FontRef<'static>,
}

impl Fonts {
    fn load() -> Result<Fonts, PdfError> {
        Ok(Fonts {
            regular: Font::new(REGULAR.into(), 0).ok_or(PdfError::Font)?,
            bold: Font::new(BOLD.into(), 0).ok_or(PdfError::Font)?,
            regular_ref: skrifa::FontRef::new(REGULAR).map_err(|_| PdfError::Font)?,
            bold_ref: skrifa::FontRef::new(BOLD).map_err(|_| PdfError::Font)?,
        })
    }

    /// The advance width of `text` at `size` (without kerning, which only narrows it).
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let font = if bold { &self.bold_ref } else { &self.regular_ref };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars().map(|c| charmap.map(c).and_then(|g| metrics.advance_width(g)).unwrap_or(size * 0.6)).sum()
    }

    /// `text` broken into lines no wider than `max`: at spaces, and inside a word only when the
    /// word alone is wider than a line. Explicit line breaks are kept.
    fn wrap(&self, text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if self.width(&candidate, size, bold) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than a line is cut where it no longer fits.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, bold) > max && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }
}

/// Where a line of text sits in the document's structure (for the tag tree that makes the PDF
/// readable to screen readers): its block (0 is the title, then `Document::blocks` from 1),
/// and in a table or list of facts its row (0 is a table's caption, its header row 1) and cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    block: usize,
    row: usize,
    cell: usize,
}

/// What is drawn on a page.
#[derive(Debug, Clone)]
enum Op {
    Text { x: f32, y: f32, size: f32, bold: bool, text: String, place: Place },
    Rule { x1: f32, x2: f32, y: f32 },
}

struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// The place of the text being laid out.
    place: Place,
}

impl Layout<'_> {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Makes room for `height`: a new page when it does not fit on this one.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn lines(&mut self, text: &str, size: f32, bold: bool, x: f32, width: f32, after: f32) {
        let step = size * LEADING;
        for line in self.fonts.wrap(text, size, bold, width) {
            self.room(step);
            self.y += step;
            let y = self.y - size * 0.25;
            let place = self.place;
            self.ops().push(Op::Text { x, y, size, bold, text: line, place });
        }
        self.y += after;
    }

    fn table(&mut self, caption: &str, header: &[String], rows: &[Vec<String>], widths: &[f32]) {
        let columns = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
        let shares: Vec<f32> = if widths.len() == columns && widths.iter().all(|w| *w > 0.0) { widths.to_vec() } else { vec![1.0; columns] };
        let total: f32 = shares.iter().sum();
        let full = PAGE_W - 2.0 * MARGIN;
        let cols: Vec<f32> = shares.iter().map(|s| full * s / total).collect();
        self.place.row = 0;
        self.lines(caption, BODY, true, MARGIN, full, 2.0);
        let size = BODY - 1.0;
        let step = size * LEADING;
        let block = self.place.block;
        let draw_row = |layout: &mut Self, row: usize, cells: &[String], bold: bool| {
            let wrapped: Vec<Vec<String>> = (0..columns).map(|i| layout.fonts.wrap(cells.get(i).map(String::as_str).unwrap_or(""), size, bold, cols[i] - 2.0 * CELL_PAD)).collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * step + 2.0 * CELL_PAD;
            layout.room(height);
            let top = layout.y;
            let mut x = MARGIN;
            for (i, cell) in wrapped.into_iter().enumerate() {
                for (n, line) in cell.into_iter().enumerate() {
                    let y = top + CELL_PAD + (n as f32 + 1.0) * step - size * 0.25;
                    layout.ops().push(Op::Text { x: x + CELL_PAD, y, size, bold, text: line, place: Place { block, row, cell: i } });
                }
                x += cols[i];
            }
            layout.y = top + height;
            let y = layout.y;
            layout.ops().push(Op::Rule { x1: MARGIN, x2: MARGIN + full, y });
        };
        if !header.is_empty() {
            draw_row(self, 1, header, true);
        }
        for (n, row) in rows.iter().enumerate() {
            draw_row(self, n + 2, row, false);
        }
        self.y += 10.0;
    }
}

/// Lays out and draws `doc`; the bytes of the PDF.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let mut l = Layout { fonts: &fonts, pages: vec![Vec::new()], y: MARGIN, place: Place { block: 0, row: 0, cell: 0 } };
    let full = PAGE_W - 2.0 * MARGIN;
    l.lines(&doc.title, 18.0, true, MARGIN, full, 8.0);
    for (n, block) in doc.blocks.iter().enumerate() {
        l.place = Place { block: n + 1, row: 0, cell: 0 };
        match block {
            Block::Heading(t) => {
                l.room(40.0);
                l.y += 8.0;
                l.lines(t, 14.0, true, MARGIN, full, 4.0);
            }
            Block::Subheading(t) => {
                l.room(30.0);
                l.y += 4.0;
                l.lines(t, 11.5, true, MARGIN, full, 2.0);
            }
            Block::Paragraph(t) => l.lines(t, BODY, false, MARGIN, full, 6.0),
            Block::Facts(pairs) => {
                let label_w = full * 0.3;
                for (row, (label, value)) in pairs.iter().enumerate() {
                    let top = l.y;
                    let page = l.pages.len();
                    l.place = Place { block: n + 1, row, cell: 0 };
                    l.lines(label, BODY, true, MARGIN, label_w - 6.0, 0.0);
                    l.place.cell = 1;
                    let (after_label, label_page) = (l.y, l.pages.len());
                    // The value starts beside its label (on the label's page).
                    if label_page == page {
                        l.y = top;
                    }
                    l.lines(value, BODY, false, MARGIN + label_w, full - label_w, 0.0);
                    if label_page == l.pages.len() {
                        l.y = l.y.max(after_label);
                    }
                    l.y += 3.0;
                }
                l.y += 6.0;
            }
            Block::Table { caption, header, rows, widths } => l.table(caption, header, rows, widths),
        }
    }
    draw(doc, &fonts, l.pages)
}

/// The tag tree: the reading order and the role of every line (title, headings, paragraphs,
/// facts as paragraphs, tables with caption, header cells and data cells), so that assistive
/// technology reads the PDF as the page reads.
fn tag_tree(doc: &Document, mut ids: std::collections::BTreeMap<Place, Vec<krilla::tagging::Identifier>>) -> krilla::tagging::TagTree {
    use krilla::tagging::{Tag, TagGroup, TagTree};
    use std::num::NonZeroU16;
    let level = |n: u16| NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN);
    let mut take = |place: Place| ids.remove(&place).unwrap_or_default();
    let group = |tag: krilla::tagging::TagKind, leaves: Vec<krilla::tagging::Identifier>| {
        let mut g = TagGroup::new(tag);
        for id in leaves {
            g.push(id);
        }
        g
    };
    let mut tree = TagTree::new();
    tree.push(group(Tag::Hn(level(1), Some(doc.title.clone())).into(), take(Place { block: 0, row: 0, cell: 0 })));
    for (n, block) in doc.blocks.iter().enumerate() {
        let at = |row: usize, cell: usize| Place { block: n + 1, row, cell };
        match block {
            Block::Heading(t) => tree.push(group(Tag::Hn(level(2), Some(t.clone())).into(), take(at(0, 0)))),
            Block::Subheading(t) => tree.push(group(Tag::Hn(level(3), Some(t.clone())).into(), take(at(0, 0)))),
            Block::Paragraph(_) => tree.push(group(Tag::P.into(), take(at(0, 0)))),
            Block::Facts(pairs) => {
                for row in 0..pairs.len() {
                    let mut leaves = take(at(row, 0));
                    leaves.extend(take(at(row, 1)));
                    tree.push(group(Tag::P.into(), leaves));
                }
            }
            Block::Table { header, rows, .. } => {
                let columns = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
                let mut table = TagGroup::new(Tag::Table);
                table.push(group(Tag::Caption.into(), take(at(0, 0))));
                let mut row_of = |row: usize, header_row: bool| {
                    let mut tr = TagGroup::new(Tag::TR);
                    for cell in 0..columns {
                        let tag: krilla::tagging::TagKind = if header_row { Tag::TH(krilla::tagging::TableHeaderScope::Column).into() } else { Tag::TD.into() };
                        tr.push(group(tag, take(at(row, cell))));
                    }
                    tr
                };
                if !header.is_empty() {
                    let mut head = TagGroup::new(Tag::THead);
                    head.push(row_of(1, true));
                    table.push(head);
                }
                let mut body = TagGroup::new(Tag::TBody);
                for r in 0..rows.len() {
                    body.push(row_of(r + 2, false));
                }
                table.push(body);
                tree.push(table);
            }
        }
    }
    tree
}

fn draw(doc: &Document, fonts: &Fonts, pages: Vec<Vec<Op>>) -> Result<Vec<u8>, PdfError> {
    let mut pdf = krilla::Document::new();
    pdf.set_metadata(krilla::metadata::Metadata::new().title(doc.title.clone()).language(doc.language.clone()).creator("knooppunt".into()));
    let count = pages.len();
    let settings = || PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Build("paginaformaat".into()));
    let black = Fill { paint: rgb::Color::new(0, 0, 0).into(), ..Fill::default() };
    let grey = Stroke { paint: rgb::Color::new(170, 170, 170).into(), width: 0.5, ..Stroke::default() };
    let mut ids: std::collections::BTreeMap<Place, Vec<krilla::tagging::Identifier>> = std::collections::BTreeMap::new();
    for (n, ops) in pages.into_iter().enumerate() {
        let mut page = pdf.start_page_with(settings()?);
        let mut surface = page.surface();
        surface.set_fill(Some(black.clone()));
        for op in ops {
            match op {
                Op::Text { x, y, size, bold, text, place } => {
                    let font = if bold { fonts.bold.clone() } else { fonts.regular.clone() };
                    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                    surface.draw_text(Point::from_xy(x, y), font, size, &text, false, TextDirection::Auto);
                    surface.end_tagged();
                    ids.entry(place).or_default().push(id);
                }
                Op::Rule { x1, x2, y } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x1, y);
                    path.line_to(x2, y);
                    if let Some(p) = path.finish() {
                        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Other)));
                        surface.set_fill(None);
                        surface.set_stroke(Some(grey.clone()));
                        surface.draw_path(&p);
                        surface.set_stroke(None);
                        surface.set_fill(Some(black.clone()));
                        surface.end_tagged();
                    }
                }
            }
        }
        let footer_y = PAGE_H - 36.0;
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Other)));
        surface.draw_text(Point::from_xy(MARGIN, footer_y), fonts.regular.clone(), 8.0, &doc.footer, false, TextDirection::Auto);
        surface.end_tagged();
        let number = format!("pagina {} van {count}", n + 1);
        let w = fonts.width(&number, 8.0, false);
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::PageNumber)));
        surface.draw_text(Point::from_xy(PAGE_W - MARGIN - w, footer_y), fonts.regular.clone(), 8.0, &number, false, TextDirection::Auto);
        surface.end_tagged();
        surface.finish();
        page.finish();
    }
    pdf.set_tag_tree(tag_tree(doc, ids));
    pdf.finish().map_err(|e| PdfError::Build(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(blocks: Vec<Block>) -> Document {
        Document { title: "Antwoord op uw verzoek".into(), language: "nl".into(), blocks, footer: "knooppunt".into() }
    }

    #[test]
    fn a_document_is_a_pdf() -> Result<(), PdfError> {
        let bytes = render(&doc(vec![Block::Paragraph("Eén alinea met een ë en een €.".into())]))?;
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.windows(5).any(|w| w == b"%%EOF"));
        Ok(())
    }

    #[test]
    fn the_pdf_is_tagged_in_reading_order_with_its_language() -> Result<(), PdfError> {
        let rows = vec![vec!["1".to_string(), "Gemeente".to_string()]; 3];
        let bytes = render(&doc(vec![
            Block::Heading("Gemeente Eindhoven".into()),
            Block::Facts(vec![("Aan".into(), "D. Verzoeker".into())]),
            Block::Paragraph("Tekst.".into()),
            Block::Table { caption: "Verwerkingen".into(), header: vec!["Aantal".into(), "Organisatie".into()], rows, widths: vec![] },
        ]))?;
        let text = String::from_utf8_lossy(&bytes);
        for needle in ["/MarkInfo<</Marked true", "/Lang(nl)", "/S/H1", "/S/H2", "/S/P", "/S/Table", "/S/Caption", "/S/TH", "/S/TD"] {
            assert!(text.contains(needle), "{needle} missing from the structure");
        }
        assert_eq!(text.matches("/S/TR").count(), 4, "a header row and three data rows");
        Ok(())
    }

    #[test]
    fn long_text_wraps_within_the_width_and_breaks_pages() -> Result<(), PdfError> {
        let fonts = Fonts::load()?;
        let text = "Gegevens over de betrokkene zijn gedeeld binnen het samenwerkingsverband. ".repeat(40);
        let lines = fonts.wrap(&text, BODY, false, 200.0);
        assert!(lines.len() > 10);
        assert!(lines.iter().all(|l| fonts.width(l, BODY, false) <= 200.0), "{lines:?}");
        assert_eq!(lines.join(" ").split_whitespace().count(), text.split_whitespace().count(), "no word lost");
        let long_word = "a".repeat(400);
        assert!(fonts.wrap(&long_word, BODY, false, 100.0).iter().all(|l| fonts.width(l, BODY, false) <= 100.0));
        let mut l = Layout { fonts: &fonts, pages: vec![Vec::new()], y: MARGIN, place: Place { block: 0, row: 0, cell: 0 } };
        l.lines(&text.repeat(5), BODY, false, MARGIN, PAGE_W - 2.0 * MARGIN, 0.0);
        assert!(l.pages.len() > 1, "a long text takes more than one page");
        for page in &l.pages {
            for op in page {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= BOTTOM && *y >= MARGIN, "{y}");
                }
            }
        }
        Ok(())
    }

    #[test]
    fn a_table_keeps_every_cell() -> Result<(), PdfError> {
        let fonts = Fonts::load()?;
        let mut l = Layout { fonts: &fonts, pages: vec![Vec::new()], y: MARGIN, place: Place { block: 0, row: 0, cell: 0 } };
        let rows: Vec<Vec<String>> = (0..120).map(|i| vec![format!("R{i}"), "Gemeente Eindhoven".into(), format!("{i}")]).collect();
        l.table("Verwerkingen", &["Dossier".into(), "Organisatie".into(), "Aantal".into()], &rows, &[1.0, 3.0, 1.0]);
        let texts: Vec<String> = l.pages.iter().flatten().filter_map(|o| if let Op::Text { text, .. } = o { Some(text.clone()) } else { None }).collect();
        for i in 0..120 {
            assert!(texts.contains(&format!("R{i}")), "row {i}");
        }
        assert!(l.pages.len() > 1);
        Ok(())
    }
}
