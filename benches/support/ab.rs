//! Interleaved A/B timing for loaded machines, shared by the `*_ab` benches.
//!
//! Criterion measures one benchmark after another, so on a shared two-core machine load drift
//! moves one side of a ratio and not the other. Here every variant runs `ITERS` calls in turn,
//! for `ROUNDS` rounds, so load hits all variants alike; the minimum over rounds is the figure
//! least disturbed by load, the median shows the spread.

use std::time::Instant;

const ROUNDS: usize = 80;
const ITERS: u32 = 3000;

/// One variant: a name and the call to time.
pub type Variant<'a> = (&'a str, &'a mut dyn FnMut());

/// Time `variants` interleaved and print min and median ns per call, and each variant's ratio
/// to the first one (the reference the targets are stated against).
pub fn run(group: &str, variants: &mut [Variant<'_>]) {
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); variants.len()];
    for _ in 0..ROUNDS {
        for (i, (_, f)) in variants.iter_mut().enumerate() {
            let t = Instant::now();
            for _ in 0..ITERS {
                f();
            }
            times[i].push(t.elapsed().as_nanos() as f64 / f64::from(ITERS));
        }
    }
    let stats: Vec<(f64, f64)> = times
        .iter_mut()
        .map(|t| {
            t.sort_by(f64::total_cmp);
            (t[0], t[t.len() / 2])
        })
        .collect();
    let (ref_min, ref_med) = *stats.first().expect("at least one variant");
    for ((name, _), (min, med)) in variants.iter().zip(&stats) {
        println!(
            "{group:12} {name:22} min {min:8.1} ns  median {med:8.1} ns   ratio min {:.3}  median {:.3}",
            min / ref_min,
            med / ref_med
        );
    }
}
