//! Reads the JSON lines of several runs and prints, per label, the median of every figure
//! (with the lowest and highest), then the comparisons BENCHMARKS.md asks for: Viaduc
//! against socket.io at each fan-out rate (and both against the kernel's floor), and two
//! nodes against one.

use std::path::Path;

use crate::report::Report;

pub fn print(path: &Path) -> anyhow::Result<()> {
    let runs: Vec<Report> = std::fs::read_to_string(path)?
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let mut labels: Vec<&str> = Vec::new();
    for run in &runs {
        if !labels.contains(&run.label.as_str()) {
            labels.push(&run.label);
        }
    }
    for label in &labels {
        let of_label: Vec<&Report> = runs.iter().filter(|run| run.label == *label).collect();
        println!(
            "\n### {label} ({} runs) {}",
            of_label.len(),
            of_label[0].parameters
        );
        println!("| figure | median | min | max | unit |\n|---|---:|---:|---:|---|");
        for metric in &of_label[0].metrics {
            let values = values(&of_label, &metric.name);
            println!(
                "| {} | {:.3} | {:.3} | {:.3} | {} |",
                metric.name,
                median(&values),
                values.first().copied().unwrap_or_default(),
                values.last().copied().unwrap_or_default(),
                metric.unit
            );
        }
    }
    println!("\n### comparisons (medians)");
    for rate in ["10", "50", "100"] {
        let viaduc = format!("fanout-viaduc-{rate}");
        let socketio = format!("fanout-socketio-{rate}");
        for figure in ["server CPU per delivery", "server RSS per connection"] {
            ratio(&runs, &socketio, &viaduc, figure);
        }
        above_floor(&runs, rate, &[&viaduc, &socketio]);
    }
    for figure in ["delivery latency p50", "delivery latency p99"] {
        let one = median(&values_of(&runs, "nodes-one", figure));
        let two = median(&values_of(&runs, "nodes-two", figure));
        if one.is_finite() && two.is_finite() {
            println!("- {figure}: one node {one:.3} ms, two nodes {two:.3} ms, a second node adds {:.3} ms", two - one);
        }
    }
    Ok(())
}

fn ratio(runs: &[Report], numerator: &str, denominator: &str, figure: &str) {
    let top = median(&values_of(runs, numerator, figure));
    let bottom = median(&values_of(runs, denominator, figure));
    if top.is_finite() && bottom.is_finite() && bottom > 0.0 {
        println!(
            "- {figure}: {numerator} {top:.3} / {denominator} {bottom:.3} = {:.2}×",
            top / bottom
        );
    }
}

/// Each server's CPU per delivery beyond what the kernel alone charges for the write.
fn above_floor(runs: &[Report], rate: &str, servers: &[&str]) {
    let floor = median(&values_of(
        runs,
        &format!("fanout-floor-{rate}"),
        "writer CPU per write",
    ));
    if !floor.is_finite() {
        return;
    }
    for server in servers {
        let cpu = median(&values_of(runs, server, "server CPU per delivery"));
        if cpu.is_finite() {
            println!(
                "- {server}: {cpu:.3} µs per delivery = the kernel's {floor:.3} µs + {:.3} µs of its own",
                cpu - floor
            );
        }
    }
}

fn values_of(runs: &[Report], label: &str, figure: &str) -> Vec<f64> {
    let of_label: Vec<&Report> = runs.iter().filter(|run| run.label == label).collect();
    values(&of_label, figure)
}

/// The figure's values across runs, sorted.
fn values(runs: &[&Report], figure: &str) -> Vec<f64> {
    let mut values: Vec<f64> = runs.iter().filter_map(|run| run.metric(figure)).collect();
    values.sort_by(f64::total_cmp);
    values
}

/// The median of sorted values; NaN when there are none.
fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert_eq!(median(&[1.0, 5.0, 9.0]), 5.0);
        assert_eq!(median(&[1.0, 3.0]), 2.0);
        assert!(median(&[]).is_nan());
    }
}
