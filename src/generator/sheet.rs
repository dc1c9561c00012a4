//! Contact sheets: a grid of portraits in one picture, for eyeballing what the generator draws.
//!
//! A sheet is laid out as rows of genomes ([`SheetLayout`]), decoded together (so the batcher
//! turns a sheet into a few large runs) and composed here with optional index labels: column
//! numbers along the top (for a sweep, the attribute value), row numbers down the left.

use super::error::GeneratorError;
use super::image::RgbImage;
use crate::genome::{Genome, ATTR_GENES, CODE_GENES, SLOT_TABLE};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use std::sync::Arc;

/// Most portraits on one sheet: a 32 × 32 grid.
pub const MAX_CELLS: usize = 1024;
/// Longest side of a sheet in pixels.
pub const MAX_SHEET_SIDE: u32 = 8192;

/// Which genomes a sheet shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetLayout {
    /// `rows × columns` random genomes: uniform bytes from ChaCha8 seeded with `seed`, drawn in
    /// reading order exactly as `chimera genome random --seed <seed>` prints them.
    Random {
        /// Seed of the draw.
        seed: u64,
        /// Rows of the grid.
        rows: usize,
        /// Columns of the grid.
        columns: usize,
    },
    /// One random genome per row (drawn as in `Random`); its columns set attribute `slot` to each
    /// of its 16 values, so a row shows what that slot does to one face.
    Sweep {
        /// Seed of the draw.
        seed: u64,
        /// Rows of the grid (faces).
        rows: usize,
        /// The attribute slot varied along each row (0..8, `SLOT_TABLE` order).
        slot: usize,
    },
    /// Genomes given row by row (rows may differ in length).
    Genomes(Vec<Vec<Genome>>),
}

/// A contact sheet to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSheet {
    /// The genomes, row by row.
    pub layout: SheetLayout,
    /// Side of each portrait cell in pixels; None: the model's size.
    pub cell: Option<u32>,
    /// Draw row and column numbers in a margin.
    pub labels: bool,
}

impl ContactSheet {
    /// The genomes to decode, row by row. Checks the layout's bounds.
    pub fn grid(&self) -> Result<Vec<Vec<Genome>>, GeneratorError> {
        let grid = match &self.layout {
            SheetLayout::Random { seed, rows, columns } => {
                let mut rng = ChaCha8Rng::seed_from_u64(*seed);
                (0..*rows).map(|_| (0..*columns).map(|_| Genome::random(&mut rng)).collect()).collect()
            }
            SheetLayout::Sweep { seed, rows, slot } => {
                if *slot >= ATTR_GENES {
                    return Err(GeneratorError::Sheet(format!(
                        "attribute slot must be 0..{ATTR_GENES} ({}), got {slot}",
                        SLOT_TABLE.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
                    )));
                }
                let mut rng = ChaCha8Rng::seed_from_u64(*seed);
                (0..*rows)
                    .map(|_| {
                        let face = Genome::random(&mut rng);
                        (0..16u8)
                            .map(|value| {
                                let mut genome = face;
                                let gene = CODE_GENES + slot;
                                let sub = face.gene(gene).sub;
                                genome.set_gene(gene, crate::genome::Gene::new(value, sub));
                                genome
                            })
                            .collect()
                    })
                    .collect()
            }
            SheetLayout::Genomes(rows) => rows.clone(),
        };
        let cells: usize = grid.iter().map(Vec::len).sum();
        if cells == 0 || cells > MAX_CELLS {
            return Err(GeneratorError::Sheet(format!("a sheet holds 1..={MAX_CELLS} portraits, this one {cells}")));
        }
        Ok(grid)
    }

    /// Compose decoded portraits (`grid`'s shape, row by row) into the sheet picture, each scaled
    /// to `cell` pixels.
    pub fn compose(&self, rows: &[Vec<Arc<RgbImage>>], cell: u32) -> Result<RgbImage, GeneratorError> {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
        let unit = (cell / 32).max(1); // gutter and label stroke scale with the cell
        let gap = unit;
        // Labels need 7 units above the cells, and room for the widest row number on the left.
        let widest_row = rows.len().saturating_sub(1).to_string().len() as u32;
        let (top, left) = if self.labels { (7 * unit, (4 * widest_row + 3).max(7) * unit) } else { (0, 0) };
        let width = left + columns * (cell + gap) + gap;
        let height = top + rows.len() as u32 * (cell + gap) + gap;
        if width > MAX_SHEET_SIDE || height > MAX_SHEET_SIDE {
            return Err(GeneratorError::Sheet(format!(
                "a {width}x{height} sheet is larger than {MAX_SHEET_SIDE} pixels a side; use a smaller cell"
            )));
        }
        let mut sheet = RgbImage::filled(width, height, BACKGROUND);
        for (r, row) in rows.iter().enumerate() {
            for (c, portrait) in row.iter().enumerate() {
                let scaled = portrait.scaled(cell, cell)?;
                sheet.draw(&scaled, left + gap + c as u32 * (cell + gap), top + gap + r as u32 * (cell + gap));
            }
        }
        if self.labels {
            for c in 0..columns {
                let x = left + gap + c * (cell + gap) + cell / 2;
                draw_number(&mut sheet, c as usize, x, unit, unit);
            }
            for r in 0..rows.len() as u32 {
                let y = top + gap + r * (cell + gap) + (cell / 2).saturating_sub(5 * unit / 2);
                draw_number(&mut sheet, r as usize, left / 2, y, unit);
            }
        }
        Ok(sheet)
    }
}

/// The sheet's gutter and margin colour: a light grey that frames dark and light faces alike.
const BACKGROUND: [u8; 3] = [224, 224, 224];
/// Label colour.
const INK: [u8; 3] = [40, 40, 40];

/// 3 × 5 pixel digits, one row per byte (bit 2 = left column).
const DIGITS: [[u8; 5]; 10] = [
    [0b111, 0b101, 0b101, 0b101, 0b111],
    [0b010, 0b110, 0b010, 0b010, 0b111],
    [0b111, 0b001, 0b111, 0b100, 0b111],
    [0b111, 0b001, 0b111, 0b001, 0b111],
    [0b101, 0b101, 0b111, 0b001, 0b001],
    [0b111, 0b100, 0b111, 0b001, 0b111],
    [0b111, 0b100, 0b111, 0b101, 0b111],
    [0b111, 0b001, 0b001, 0b001, 0b001],
    [0b111, 0b101, 0b111, 0b101, 0b111],
    [0b111, 0b101, 0b111, 0b001, 0b111],
];

/// Draw `n` in `unit`-pixel strokes, horizontally centred on `centre_x`, top at `y`.
fn draw_number(sheet: &mut RgbImage, n: usize, centre_x: u32, y: u32, unit: u32) {
    let text = n.to_string();
    let width = text.len() as u32 * 4 * unit - unit;
    let mut x = centre_x.saturating_sub(width / 2);
    for digit in text.bytes().map(|b| (b - b'0') as usize) {
        for (row, bits) in DIGITS[digit].iter().enumerate() {
            for col in 0..3 {
                if bits & (0b100 >> col) != 0 {
                    sheet.fill_rect(x + col * unit, y + row as u32 * unit, unit, unit, INK);
                }
            }
        }
        x += 4 * unit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(layout: SheetLayout, labels: bool) -> ContactSheet {
        ContactSheet { layout, cell: None, labels }
    }

    #[test]
    fn random_sheets_draw_genomes_in_reading_order() {
        let grid = sheet(SheetLayout::Random { seed: 5, rows: 2, columns: 3 }, false).grid().unwrap();
        assert_eq!(grid.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3]);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let flat: Vec<Genome> = (0..6).map(|_| Genome::random(&mut rng)).collect();
        assert_eq!(grid.concat(), flat);
    }

    #[test]
    fn a_sweep_varies_only_the_slot_main() {
        let grid = sheet(SheetLayout::Sweep { seed: 1, rows: 2, slot: 3 }, false).grid().unwrap();
        for row in &grid {
            assert_eq!(row.len(), 16);
            for (value, genome) in row.iter().enumerate() {
                assert_eq!(genome.attribute(3), value as u8);
                for gene in (0..40).filter(|g| *g != CODE_GENES + 3) {
                    assert_eq!(genome.gene(gene), row[0].gene(gene));
                }
                assert_eq!(genome.gene(CODE_GENES + 3).sub, row[0].gene(CODE_GENES + 3).sub);
            }
        }
        assert_ne!(grid[0][0], grid[1][0]);
    }

    #[test]
    fn bad_layouts_are_refused() {
        let err = sheet(SheetLayout::Sweep { seed: 1, rows: 2, slot: 8 }, false).grid().unwrap_err();
        assert!(err.to_string().contains("attribute slot must be 0..8 (hair_colour"), "{err}");
        let err = sheet(SheetLayout::Random { seed: 1, rows: 0, columns: 3 }, false).grid().unwrap_err();
        assert!(err.to_string().contains("1..=1024 portraits"), "{err}");
        assert!(sheet(SheetLayout::Random { seed: 1, rows: 33, columns: 32 }, false).grid().is_err());
    }

    #[test]
    fn compose_places_cells_on_a_grid() {
        let colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [9, 9, 9]];
        let rows: Vec<Vec<Arc<RgbImage>>> =
            colours.chunks(2).map(|row| row.iter().map(|c| Arc::new(RgbImage::filled(64, 64, *c))).collect()).collect();
        let plain = sheet(SheetLayout::Genomes(vec![]), false).compose(&rows, 32).unwrap();
        // unit = 1: 1-pixel gutters, no margin.
        assert_eq!((plain.width(), plain.height()), (2 * 33 + 1, 2 * 33 + 1));
        assert_eq!(plain.pixel(0, 0), BACKGROUND);
        assert_eq!(plain.pixel(1, 1), [255, 0, 0]);
        assert_eq!(plain.pixel(34 + 31, 1), [0, 255, 0]);
        assert_eq!(plain.pixel(1, 34), [0, 0, 255]);
        assert_eq!(plain.pixel(33, 5), BACKGROUND);

        let labelled = sheet(SheetLayout::Genomes(vec![]), true).compose(&rows, 64).unwrap();
        // unit = 2: margin 14, gutters 2.
        assert_eq!(labelled.width(), 14 + 2 * 66 + 2);
        assert_eq!(labelled.pixel(16, 16), [255, 0, 0]);
        let ink = labelled.as_rgb().chunks(3).filter(|p| *p == INK).count();
        assert!(ink > 0, "labels drawn");
    }
}
