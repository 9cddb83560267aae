//! A run's results: named figures printed as a table and appended as one JSON line, and
//! the latency histogram they are read from.

use std::io::Write;
use std::path::PathBuf;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use crate::Common;

#[derive(Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
    pub unit: String,
}

#[derive(Serialize, Deserialize)]
pub struct Report {
    pub label: String,
    pub scenario: String,
    pub parameters: serde_json::Value,
    pub metrics: Vec<Metric>,
    #[serde(skip)]
    json: Option<PathBuf>,
}

impl Report {
    pub fn new(common: &Common, scenario: &str, parameters: serde_json::Value) -> Self {
        Report {
            label: common.label.clone(),
            scenario: scenario.to_owned(),
            parameters,
            metrics: Vec::new(),
            json: common.json.clone(),
        }
    }

    pub fn add(&mut self, name: impl Into<String>, value: f64, unit: &'static str) {
        self.metrics.push(Metric {
            name: name.into(),
            value,
            unit: unit.to_owned(),
        });
    }

    /// The value of a figure, by name.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|metric| metric.name == name)
            .map(|metric| metric.value)
    }

    /// p50, p99 and max of a histogram of microseconds, in milliseconds.
    pub fn latency(&mut self, name: &str, micros: &Histogram<u64>) {
        for (suffix, value) in [
            ("p50", micros.value_at_quantile(0.50)),
            ("p99", micros.value_at_quantile(0.99)),
            ("max", micros.max()),
        ] {
            self.add(format!("{name} {suffix}"), value as f64 / 1000.0, "ms");
        }
    }

    /// Prints the table and appends the JSON line.
    pub fn print(&self) -> anyhow::Result<()> {
        println!(
            "\n== {} ({}) {}",
            self.label, self.scenario, self.parameters
        );
        for metric in &self.metrics {
            println!(
                "  {:<34} {:>14.3} {}",
                metric.name, metric.value, metric.unit
            );
        }
        if let Some(path) = &self.json {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            writeln!(file, "{}", serde_json::to_string(self)?)?;
        }
        Ok(())
    }
}

/// Latencies in microseconds, 1 µs to 10 minutes, 3 significant digits.
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}
