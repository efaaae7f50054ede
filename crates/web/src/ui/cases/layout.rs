//! The layout of the network picture, computed on the server so the picture needs no script:
//! a force-directed placement (Fruchterman–Reingold, started from a circle, so the same case
//! always gives the same picture), then every node with its whole label is treated as a box and
//! overlapping boxes are pushed apart, so no label is cut or covered.

/// Radius of a node's circle.
pub const RADIUS: f64 = 20.0;
/// Space a label's line takes below its node.
const LABEL_HEIGHT: f64 = 22.0;
/// Roughly the width of one character of a 14 px label.
const CHAR_WIDTH: f64 = 7.6;
/// Free space kept between boxes and around the picture.
const GAP: f64 = 14.0;

/// A node placed: its centre and the box (node and label) it occupies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    half_width: f64,
}

impl Placed {
    fn top(&self) -> f64 {
        self.y - RADIUS
    }
    fn bottom(&self) -> f64 {
        self.y + RADIUS + LABEL_HEIGHT
    }
    fn left(&self) -> f64 {
        self.x - self.half_width
    }
    fn right(&self) -> f64 {
        self.x + self.half_width
    }
}

/// The width a label takes.
pub fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * CHAR_WIDTH
}

/// Places nodes with these labels, joined by `edges` (pairs of indexes), and returns their
/// positions and the size of the picture (width, height).
pub fn place(labels: &[&str], edges: &[(usize, usize)]) -> (Vec<Placed>, f64, f64) {
    let n = labels.len();
    if n == 0 {
        return (Vec::new(), 0.0, 0.0);
    }
    // The area grows with the number of nodes, so the spring length stays about the same.
    let side = (170.0 * (n as f64).sqrt()).max(480.0);
    let k = 0.9 * side / (n as f64).sqrt();
    let centre = side / 2.0;
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            let r = if n == 1 { 0.0 } else { side / 3.0 };
            (centre + r * a.cos(), centre + r * a.sin())
        })
        .collect();
    let iterations = 300;
    for step in 0..iterations {
        let temperature = side / 8.0 * (1.0 - step as f64 / iterations as f64) + 1.0;
        let mut shift = vec![(0.0f64, 0.0f64); n];
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let f = k * k / d;
                let (fx, fy) = (dx / d * f, dy / d * f);
                shift[i].0 += fx;
                shift[i].1 += fy;
                shift[j].0 -= fx;
                shift[j].1 -= fy;
            }
        }
        for &(a, b) in edges {
            if a >= n || b >= n || a == b {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let f = d * d / k;
            let (fx, fy) = (dx / d * f, dy / d * f);
            shift[a].0 -= fx;
            shift[a].1 -= fy;
            shift[b].0 += fx;
            shift[b].1 += fy;
        }
        for i in 0..n {
            // A little gravity keeps parts that are not connected near the middle.
            shift[i].0 += (centre - pos[i].0) * 0.02 * k / side * 10.0;
            shift[i].1 += (centre - pos[i].1) * 0.02 * k / side * 10.0;
            let len = (shift[i].0 * shift[i].0 + shift[i].1 * shift[i].1).sqrt().max(0.01);
            let moved = len.min(temperature);
            pos[i].0 += shift[i].0 / len * moved;
            pos[i].1 += shift[i].1 / len * moved;
        }
    }
    let mut placed: Vec<Placed> = pos.iter().zip(labels).map(|(&(x, y), l)| Placed { x, y, half_width: (label_width(l).max(2.0 * RADIUS)) / 2.0 }).collect();
    separate(&mut placed);
    // Move everything into view with a margin, and size the picture to what it holds.
    let min_x = placed.iter().map(Placed::left).fold(f64::INFINITY, f64::min);
    let min_y = placed.iter().map(Placed::top).fold(f64::INFINITY, f64::min);
    for p in &mut placed {
        p.x += GAP - min_x;
        p.y += GAP - min_y;
    }
    let width = placed.iter().map(Placed::right).fold(0.0, f64::max) + GAP;
    let height = placed.iter().map(Placed::bottom).fold(0.0, f64::max) + GAP;
    (placed, width, height)
}

fn overlap(a: &Placed, b: &Placed) -> Option<(f64, f64)> {
    let x = a.right().min(b.right()) - a.left().max(b.left()) + GAP;
    let y = a.bottom().min(b.bottom()) - a.top().max(b.top()) + GAP;
    (x > 0.0 && y > 0.0).then_some((x, y))
}

/// Pushes overlapping boxes apart along the axis where they overlap least, until none overlap.
fn separate(placed: &mut [Placed]) {
    for _ in 0..500 {
        let mut moved = false;
        for i in 0..placed.len() {
            for j in (i + 1)..placed.len() {
                let Some((ox, oy)) = overlap(&placed[i], &placed[j]) else {
                    continue;
                };
                moved = true;
                if ox < oy {
                    let dir = if placed[i].x <= placed[j].x { -1.0 } else { 1.0 };
                    placed[i].x += dir * ox / 2.0;
                    placed[j].x -= dir * ox / 2.0;
                } else {
                    let dir = if placed[i].y <= placed[j].y { -1.0 } else { 1.0 };
                    placed[i].y += dir * oy / 2.0;
                    placed[j].y -= dir * oy / 2.0;
                }
            }
        }
        if !moved {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring_with_spokes(n: usize) -> Vec<(usize, usize)> {
        let mut e: Vec<(usize, usize)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
        e.extend((1..n).step_by(3).map(|i| (0, i)));
        e
    }

    #[test]
    fn fifty_subjects_with_long_names_keep_every_label_whole_and_apart() {
        let names: Vec<String> = (0..60).map(|i| format!("Jan Willem van den Heuvel {i}")).collect();
        let labels: Vec<&str> = names.iter().map(String::as_str).collect();
        let (placed, width, height) = place(&labels, &ring_with_spokes(60));
        assert_eq!(placed.len(), 60);
        for (i, a) in placed.iter().enumerate() {
            assert!(a.left() >= 0.0 && a.top() >= 0.0 && a.right() <= width && a.bottom() <= height, "node {i} out of the picture");
            for (j, b) in placed.iter().enumerate().skip(i + 1) {
                assert!(overlap(a, b).is_none_or(|(x, y)| x <= GAP + 1e-6 || y <= GAP + 1e-6), "{i} and {j} overlap: {a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_same_case_gives_the_same_picture() {
        let labels = ["A", "B", "C", "D"];
        assert_eq!(place(&labels, &[(0, 1), (1, 2)]), place(&labels, &[(0, 1), (1, 2)]));
    }

    #[test]
    fn related_subjects_end_up_closer_than_unrelated_ones() {
        let labels = ["A", "B", "C", "D", "E", "F"];
        let (p, _, _) = place(&labels, &[(0, 1), (2, 3), (4, 5)]);
        let d = |a: usize, b: usize| ((p[a].x - p[b].x).powi(2) + (p[a].y - p[b].y).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 3) && d(2, 3) < d(2, 5), "{p:?}");
    }

    #[test]
    fn nothing_and_one() {
        assert_eq!(place(&[], &[]).0.len(), 0);
        let (p, w, h) = place(&["Alleen"], &[]);
        assert_eq!(p.len(), 1);
        assert!(w > 0.0 && h > 0.0);
    }
}
