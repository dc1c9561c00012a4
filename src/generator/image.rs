//! Pictures: the RGB8 pixels of a portrait or a contact sheet, their scaling and PNG encoding.
//!
//! Pixels are kept as 8-bit RGB because that is what every consumer wants (PNG, the web app, a
//! store), and the conversion from the model's `f32` 0..1 happens once, when a portrait is decoded.

use super::error::GeneratorError;

/// The smallest picture side we scale to: below this a portrait is unrecognisable.
pub const MIN_SIZE: u32 = 8;
/// The largest picture side we scale to: 4096² RGB is 48 MiB, the most one request may cost.
pub const MAX_SIZE: u32 = 4096;

/// An 8-bit RGB picture, rows top to bottom, pixels interleaved `r, g, b`.
#[derive(Clone, PartialEq, Eq)]
pub struct RgbImage {
    /// Columns.
    width: u32,
    /// Rows.
    height: u32,
    /// `width · height · 3` bytes; a `Vec` because pictures are built once and then only read.
    pixels: Vec<u8>,
}

impl std::fmt::Debug for RgbImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RgbImage({}x{})", self.width, self.height)
    }
}

impl RgbImage {
    /// A picture filled with one colour.
    pub fn filled(width: u32, height: u32, colour: [u8; 3]) -> Self {
        let pixels = colour.iter().copied().cycle().take(width as usize * height as usize * 3).collect();
        RgbImage { width, height, pixels }
    }

    /// A picture from its interleaved RGB bytes (e.g. read back from a store).
    pub fn from_rgb(width: u32, height: u32, pixels: Vec<u8>) -> Result<Self, GeneratorError> {
        let expected = width as usize * height as usize * 3;
        if pixels.len() != expected {
            return Err(GeneratorError::Inference(format!(
                "a {width}x{height} RGB picture needs {expected} bytes, got {}",
                pixels.len()
            )));
        }
        Ok(RgbImage { width, height, pixels })
    }

    /// A picture from the generator's planar output: three `height · width` planes (R, G, B) of
    /// values in 0..1. Out-of-range values are clamped; NaN becomes 0.
    pub fn from_planes(width: u32, height: u32, planes: &[f32]) -> Self {
        let area = width as usize * height as usize;
        assert_eq!(planes.len(), area * 3, "planar RGB of {width}x{height}");
        let (r, rest) = planes.split_at(area);
        let (g, b) = rest.split_at(area);
        let mut pixels = Vec::with_capacity(area * 3);
        for i in 0..area {
            pixels.extend_from_slice(&[to_u8(r[i]), to_u8(g[i]), to_u8(b[i])]);
        }
        RgbImage { width, height, pixels }
    }

    /// Columns.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Rows.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The interleaved RGB bytes.
    pub fn as_rgb(&self) -> &[u8] {
        &self.pixels
    }

    /// Bytes held, for caches bounded by memory.
    pub fn byte_len(&self) -> usize {
        self.pixels.len()
    }

    /// The pixel at column `x`, row `y`.
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }

    /// This picture at `width × height`, scaled per axis so it stays crisp: enlarging repeats
    /// pixels (nearest neighbour: a 64² portrait at 256² is exact 4×4 blocks), shrinking averages
    /// the source area under each pixel (a box filter, exact for fractional ratios too).
    pub fn scaled(&self, width: u32, height: u32) -> Result<RgbImage, GeneratorError> {
        for side in [width, height] {
            if !(MIN_SIZE..=MAX_SIZE).contains(&side) {
                return Err(GeneratorError::Size { got: side, min: MIN_SIZE, max: MAX_SIZE });
            }
        }
        if (width, height) == (self.width, self.height) {
            return Ok(self.clone());
        }
        if width >= self.width && height >= self.height {
            return Ok(self.enlarged(width, height));
        }
        let columns = axis_weights(self.width, width);
        let rows = axis_weights(self.height, height);
        let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
        let mut line = vec![0f32; self.width as usize * 3];
        for row in &rows {
            // Blend the source rows under this output row once, then each output pixel reads it.
            line.iter_mut().for_each(|v| *v = 0.0);
            for &(sy, wy) in row {
                let src = &self.pixels[sy * self.width as usize * 3..][..self.width as usize * 3];
                for (acc, &v) in line.iter_mut().zip(src) {
                    *acc += wy * v as f32;
                }
            }
            for column in &columns {
                let mut rgb = [0f32; 3];
                for &(sx, wx) in column {
                    for c in 0..3 {
                        rgb[c] += wx * line[sx * 3 + c];
                    }
                }
                pixels.extend(rgb.map(|v| v.round().clamp(0.0, 255.0) as u8));
            }
        }
        Ok(RgbImage { width, height, pixels })
    }

    /// Nearest-neighbour enlargement: each output pixel copies the source pixel under its centre,
    /// and an output row that reads the same source row as the one above is copied whole.
    fn enlarged(&self, width: u32, height: u32) -> RgbImage {
        let nearest = |i: u32, src: u32, dst: u32| ((2 * i as u64 + 1) * src as u64 / (2 * dst as u64)) as usize;
        let columns: Vec<usize> = (0..width).map(|x| nearest(x, self.width, width) * 3).collect();
        let row_bytes = width as usize * 3;
        let mut pixels = Vec::with_capacity(row_bytes * height as usize);
        let mut previous = usize::MAX;
        for y in 0..height {
            let sy = nearest(y, self.height, height);
            if sy == previous {
                pixels.extend_from_within(pixels.len() - row_bytes..);
                continue;
            }
            let src = &self.pixels[sy * self.width as usize * 3..][..self.width as usize * 3];
            for &sx in &columns {
                pixels.extend_from_slice(&src[sx..sx + 3]);
            }
            previous = sy;
        }
        RgbImage { width, height, pixels }
    }

    /// Paste `other` with its top-left corner at (`x`, `y`), clipped to this picture.
    pub fn draw(&mut self, other: &RgbImage, x: u32, y: u32) {
        let w = other.width.min(self.width.saturating_sub(x)) as usize;
        for row in 0..other.height.min(self.height.saturating_sub(y)) {
            let dst = ((y + row) as usize * self.width as usize + x as usize) * 3;
            let src = row as usize * other.width as usize * 3;
            self.pixels[dst..dst + w * 3].copy_from_slice(&other.pixels[src..src + w * 3]);
        }
    }

    /// Fill a rectangle (clipped to the picture) with one colour.
    pub fn fill_rect(&mut self, x: u32, y: u32, width: u32, height: u32, colour: [u8; 3]) {
        for row in y..(y + height).min(self.height) {
            for col in x..(x + width).min(self.width) {
                let i = (row as usize * self.width as usize + col as usize) * 3;
                self.pixels[i..i + 3].copy_from_slice(&colour);
            }
        }
    }

    /// The picture as a PNG file (8-bit RGB, no metadata, so equal pictures give equal bytes).
    pub fn to_png(&self) -> Result<Vec<u8>, GeneratorError> {
        let png_error = |e: png::EncodingError| GeneratorError::Png(e.to_string());
        let mut out = Vec::with_capacity(self.pixels.len() / 2 + 128);
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // `Fast` (fdeflate) costs a fraction of `Balanced` and compresses portraits about as well.
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().map_err(png_error)?;
        writer.write_image_data(&self.pixels).map_err(png_error)?;
        writer.finish().map_err(png_error)?;
        Ok(out)
    }
}

/// One model output value (0..1) as an 8-bit channel.
fn to_u8(v: f32) -> u8 {
    // `as` saturates and maps NaN to 0, so the clamp only documents intent.
    (v.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// For each of `dst` output positions, the source positions it reads and their weights (summing
/// to 1): one source pixel when enlarging, the box of covered source pixels when shrinking.
fn axis_weights(src: u32, dst: u32) -> Vec<Vec<(usize, f32)>> {
    let (src, dst) = (src as u64, dst as u64);
    (0..dst)
        .map(|i| {
            if dst >= src {
                // The source pixel under this pixel's centre.
                return vec![(((2 * i + 1) * src / (2 * dst)) as usize, 1.0)];
            }
            // Output pixel i covers source [i·src/dst, (i+1)·src/dst); in units of 1/dst that
            // is [i·src, (i+1)·src), so all arithmetic stays integer until the weights.
            let (start, end) = (i * src, (i + 1) * src);
            (start / dst..end.div_ceil(dst))
                .map(|s| {
                    let covered = end.min((s + 1) * dst) - start.max(s * dst);
                    (s as usize, covered as f32 / src as f32)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkerboard(size: u32) -> RgbImage {
        let mut pixels = Vec::new();
        for y in 0..size {
            for x in 0..size {
                let v = if (x + y) % 2 == 0 { 255 } else { 0 };
                pixels.extend([v, (x * 7) as u8, (y * 13) as u8]);
            }
        }
        RgbImage::from_rgb(size, size, pixels).unwrap()
    }

    #[test]
    fn planes_become_interleaved_rgb() {
        // 2x1: R plane, G plane, B plane.
        let image = RgbImage::from_planes(2, 1, &[0.0, 1.0, 0.5, 2.0, -1.0, f32::NAN]);
        assert_eq!(image.as_rgb(), &[0, 128, 0, 255, 255, 0]);
    }

    #[test]
    fn enlarging_by_an_integer_factor_repeats_pixels_exactly() {
        let small = checkerboard(8);
        let big = small.scaled(32, 32).unwrap();
        for y in 0..32 {
            for x in 0..32 {
                assert_eq!(big.pixel(x, y), small.pixel(x / 4, y / 4), "at {x},{y}");
            }
        }
    }

    #[test]
    fn enlarging_by_any_factor_picks_the_pixel_under_each_centre() {
        let small = checkerboard(10);
        let big = small.scaled(37, 23).unwrap();
        for y in 0..23 {
            for x in 0..37 {
                let (sx, sy) = ((2 * x + 1) * 10 / 74, (2 * y + 1) * 10 / 46);
                assert_eq!(big.pixel(x, y), small.pixel(sx, sy), "at {x},{y}");
            }
        }
    }

    #[test]
    fn shrinking_by_an_integer_factor_averages_blocks() {
        let big = checkerboard(16);
        let small = big.scaled(8, 8).unwrap();
        // Every 2x2 block of the checkerboard holds two 255s and two 0s in red.
        for y in 0..8 {
            for x in 0..8 {
                assert_eq!(small.pixel(x, y)[0], 128, "at {x},{y}");
            }
        }
        // Green is 7·x: the block over x = 2k, 2k+1 averages to 7·(2k + 0.5).
        assert_eq!(small.pixel(1, 0)[1], (7.0f32 * 2.5).round() as u8);
    }

    #[test]
    fn fractional_box_weights_sum_to_one() {
        for (src, dst) in [(64, 48), (64, 10), (100, 64), (64, 64), (64, 200)] {
            for (i, w) in axis_weights(src, dst).iter().enumerate() {
                let sum: f32 = w.iter().map(|(_, w)| w).sum();
                assert!((sum - 1.0).abs() < 1e-5, "{src}->{dst} at {i}: {sum}");
                assert!(w.iter().all(|(s, _)| *s < src as usize));
            }
        }
    }

    #[test]
    fn a_flat_picture_stays_flat_at_any_size() {
        let flat = RgbImage::filled(64, 64, [12, 200, 77]);
        for size in [8, 37, 64, 100, 256] {
            let scaled = flat.scaled(size, size).unwrap();
            assert!(scaled.as_rgb().chunks(3).all(|p| p == [12, 200, 77]), "size {size}");
        }
    }

    #[test]
    fn sizes_out_of_range_are_refused_with_the_range() {
        let image = checkerboard(8);
        let err = image.scaled(0, 0).unwrap_err();
        assert_eq!(err.to_string(), "portrait size must be 8..=4096 pixels, got 0");
        assert!(image.scaled(MAX_SIZE + 1, 8).is_err());
    }

    #[test]
    fn png_round_trips_and_is_deterministic() {
        let image = checkerboard(16);
        let bytes = image.to_png().unwrap();
        assert_eq!(bytes, image.to_png().unwrap());
        let mut reader = png::Decoder::new(std::io::Cursor::new(&bytes)).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height, info.color_type), (16, 16, png::ColorType::Rgb));
        assert_eq!(&buf[..info.buffer_size()], image.as_rgb());
    }

    #[test]
    fn draw_clips_at_the_edges() {
        let mut canvas = RgbImage::filled(4, 4, [0, 0, 0]);
        canvas.draw(&RgbImage::filled(3, 3, [9, 9, 9]), 2, 2);
        assert_eq!(canvas.pixel(3, 3), [9, 9, 9]);
        assert_eq!(canvas.pixel(1, 1), [0, 0, 0]);
    }
}
