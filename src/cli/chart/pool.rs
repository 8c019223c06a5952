//! `pool --svg`: the pool map as a grid, one row per arena, one cell per 16 KiB pool. A cell
//! is filled from the bottom in proportion to its blocks in use, in its size class's colour;
//! an empty (carved, free) pool is a white cell, a never-carved one a grey cell.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use pylayout::inspect::poolmap::{PoolCell, PoolMap};

use super::err;
use pylayout::alloc::PoolState;

/// The outline of every pool cell, and of nothing else (tests count the cells by it).
pub const CELL_OUTLINE: RGBColor = RGBColor(0x99, 0x99, 0x99);
const UNTOUCHED: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);
const NEUTRAL: RGBColor = RGBColor(0x55, 0x55, 0x55);

const CELL_W: i32 = 12;
const CELL_H: i32 = 16;
const PITCH_X: i32 = 14;
const PITCH_Y: i32 = 20;
const LEFT: i32 = 80;
const TOP: i32 = 56;
const RIGHT: i32 = 190;
const LINE: i32 = 20;

/// A distinct colour per size class: hues a golden angle apart, so neighbouring classes
/// (48 B and 64 B) never look alike.
pub fn class_colour(class: usize) -> RGBColor {
    let h = (class as f64 * 0.618_033_988_75).fract();
    let l = if class.is_multiple_of(2) { 0.45 } else { 0.6 };
    let (r, g, b) = HSLColor(h, 0.7, l).rgb();
    RGBColor(r, g, b)
}

fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&BLACK)
}

fn centred_left(size: u32) -> TextStyle<'static> {
    font(size).pos(Pos::new(HPos::Left, VPos::Center))
}

/// Draw one cell with its top-left corner at (x, y), `h` pixels high.
fn cell(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    (x, y): (i32, i32),
    p: &PoolCell,
    outline: RGBColor,
) -> Result<(), String> {
    let corner = |dy: i32| [(x, y + dy), (x + CELL_W, y + CELL_H)];
    match (p.state, p.size_class) {
        (PoolState::Untouched, _) => root
            .draw(&Rectangle::new(corner(0), UNTOUCHED.filled()))
            .map_err(|e| err(&e))?,
        (_, Some(class)) => {
            let h = ((p.fullness() * CELL_H as f64).round() as i32).clamp(1, CELL_H);
            root.draw(&Rectangle::new(
                corner(CELL_H - h),
                class_colour(class).filled(),
            ))
            .map_err(|e| err(&e))?
        }
        _ => {}
    }
    root.draw(&Rectangle::new(corner(0), outline))
        .map_err(|e| err(&e))
}

/// The pool map as an SVG document. `subtitle` says what ran before the map was taken.
pub fn pool_map_svg(map: &PoolMap, subtitle: &str) -> Result<String, String> {
    let cols = map.pools_per_arena as i32;
    let rows = map.arenas.len().max(1) as i32;
    let grid_h = rows * PITCH_Y;
    let legend_rows = 2 + map.classes.len().div_ceil(2) as i32;
    let width = (LEFT + cols * PITCH_X + RIGHT).max(1000);
    let height = TOP + grid_h + 24 + legend_rows * LINE + 16;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let s = &map.states;
        let title = format!(
            "pymalloc pool map: {} arena{}, {} pools ({} used, {} full, {} empty, {} never carved)",
            map.arenas.len(),
            if map.arenas.len() == 1 { "" } else { "s" },
            map.pool_count(),
            s.used,
            s.full,
            s.empty,
            s.untouched
        );
        root.draw(&Text::new(title, (12, 10), font(16)))
            .map_err(|e| err(&e))?;
        root.draw(&Text::new(subtitle.to_string(), (12, 32), font(12)))
            .map_err(|e| err(&e))?;
        if map.arenas.is_empty() {
            root.draw(&Text::new(
                "(no arena: nothing allocated from pools)",
                (LEFT, TOP + PITCH_Y / 2),
                centred_left(12),
            ))
            .map_err(|e| err(&e))?;
        }
        for (r, a) in map.arenas.iter().enumerate() {
            let y = TOP + r as i32 * PITCH_Y;
            let label = format!("arena {}", a.index);
            root.draw(&Text::new(label, (8, y + CELL_H / 2), centred_left(11)))
                .map_err(|e| err(&e))?;
            for p in &a.pools {
                cell(&root, (LEFT + p.index as i32 * PITCH_X, y), p, CELL_OUTLINE)?;
            }
            let mut notes = Vec::new();
            if !a.pool_aligned {
                notes.push("63 pools (unaligned)".to_string());
            }
            if a.wholly_free {
                notes.push("wholly free, kept".to_string());
            }
            if a.usable_rank == Some(0) {
                notes.push("next new pool".to_string());
            }
            if !notes.is_empty() {
                let x = LEFT + cols * PITCH_X + 6;
                root.draw(&Text::new(
                    notes.join("; "),
                    (x, y + CELL_H / 2),
                    centred_left(11),
                ))
                .map_err(|e| err(&e))?;
            }
        }
        // Legend: the states, then the classes present, two to a line.
        let mut y = TOP + grid_h + 24;
        // (share of the cell filled in a neutral grey, grey background, label)
        let states: [(f64, bool, &str); 4] = [
            (1.0, false, "full"),
            (0.5, false, "used (filled to its share of blocks in use)"),
            (0.0, false, "empty (carved, free for any class)"),
            (0.0, true, "never carved"),
        ];
        let mut x = 12;
        for (share, untouched, label) in states {
            let h = (share * CELL_H as f64).round() as i32;
            let colour = if untouched { UNTOUCHED } else { NEUTRAL };
            let top = if untouched { y } else { y + CELL_H - h };
            if untouched || h > 0 {
                root.draw(&Rectangle::new(
                    [(x, top), (x + CELL_W, y + CELL_H)],
                    colour.filled(),
                ))
                .map_err(|e| err(&e))?;
            }
            root.draw(&Rectangle::new([(x, y), (x + CELL_W, y + CELL_H)], BLACK))
                .map_err(|e| err(&e))?;
            root.draw(&Text::new(
                label,
                (x + CELL_W + 6, y + CELL_H / 2),
                centred_left(12),
            ))
            .map_err(|e| err(&e))?;
            x += 40 + 7 * label.len() as i32;
        }
        y += LINE + 6;
        root.draw(&Text::new(
            "colour = size class (block size); one cell = one 16 KiB pool; one row = one 1 MiB arena",
            (12, y + CELL_H / 2),
            centred_left(12),
        ))
        .map_err(|e| err(&e))?;
        y += LINE;
        for (i, c) in map.classes.iter().enumerate() {
            let x = 12 + (i as i32 % 2) * 480;
            let yy = y + (i as i32 / 2) * LINE;
            root.draw(&Rectangle::new(
                [(x, yy), (x + CELL_W, yy + CELL_H)],
                class_colour(c.size_class).filled(),
            ))
            .map_err(|e| err(&e))?;
            let label = format!(
                "class {} ({} B): {} pool{} ({} full), {} of {} blocks in use",
                c.size_class,
                c.block_size,
                c.pools,
                if c.pools == 1 { "" } else { "s" },
                c.full_pools,
                c.blocks_in_use,
                c.blocks_in_use + c.avail_blocks
            );
            root.draw(&Text::new(
                label,
                (x + CELL_W + 6, yy + CELL_H / 2),
                centred_left(12),
            ))
            .map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_colours_are_distinct() {
        let all: Vec<RGBColor> = (0..32).map(class_colour).collect();
        for i in 0..32 {
            for j in 0..i {
                assert_ne!(all[i], all[j], "classes {i} and {j}");
            }
        }
    }
}
