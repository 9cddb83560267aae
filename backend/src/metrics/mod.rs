//! Operational metrics of one node, for Prometheus: the metric families (one [`Metrics`]
//! per node, created with the state and shared with the real-time hub) and the HTTP
//! middleware that times requests ([`track_requests`]). `GET /metrics`, which answers in
//! the OpenMetrics text format behind a bearer token, is the application's (`monitoring.rs`).

mod http;

use std::future::Future;
use std::time::{Duration, Instant};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::{Family, MetricConstructor};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

pub use http::track_requests;

/// Upper bounds, in seconds, of the latency histograms: 1 ms to 10 s.
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// Builds the histograms of a labelled family.
#[derive(Clone, Copy)]
struct LatencyHistogram;

impl MetricConstructor<Histogram> for LatencyHistogram {
    fn new_metric(&self) -> Histogram {
        latency_histogram()
    }
}

/// A WebSocket command by the live feature that ran it (see `realtime::commands::owner`) and
/// how it ended: `ok` (acknowledged) or `error` (refused or failed). Not the command's name:
/// clients choose it, and every distinct value would be a series.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CommandLabels {
    feature: &'static str,
    outcome: &'static str,
}

const OUTCOMES: [&str; 2] = ["ok", "error"];

/// An HTTP request by its route pattern (`/api/conferences/{id}`, or `fallback` for the
/// frontend and unknown paths), never its concrete path, which would make a series per id.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: &'static str,
    route: String,
    status: u16,
}

/// What is read from the node at scrape time rather than counted as it happens.
#[derive(Debug, Clone, Copy)]
pub struct Readings {
    pub connections: usize,
    pub rooms: usize,
    pub pool_open: u32,
    pub pool_idle: usize,
    pub pool_max: u32,
}

/// The node's metric families, in one registry.
pub struct Metrics {
    registry: Registry,
    connections: Gauge,
    rooms: Gauge,
    pool_in_use: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    events_published: Counter,
    deliveries: Counter,
    slow_cuts: Counter,
    commands: Family<CommandLabels, Histogram, LatencyHistogram>,
    bus_lag: Histogram,
    http_requests: Family<HttpLabels, Histogram, LatencyHistogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let metrics = Metrics {
            registry: Registry::with_prefix("viaduc"),
            connections: Gauge::default(),
            rooms: Gauge::default(),
            pool_in_use: Gauge::default(),
            pool_idle: Gauge::default(),
            pool_max: Gauge::default(),
            events_published: Counter::default(),
            deliveries: Counter::default(),
            slow_cuts: Counter::default(),
            commands: Family::new_with_constructor(LatencyHistogram),
            bus_lag: latency_histogram(),
            http_requests: Family::new_with_constructor(LatencyHistogram),
        };
        metrics.registered()
    }

    /// Registers every family under its name (the registry adds the `viaduc_` prefix,
    /// `_total` to counters and `_seconds` to the histograms).
    fn registered(mut self) -> Self {
        let registry = &mut self.registry;
        registry.register(
            "ws_connections",
            "Open WebSocket connections",
            self.connections.clone(),
        );
        registry.register(
            "realtime_rooms",
            "Rooms with at least one subscriber on this node",
            self.rooms.clone(),
        );
        registry.register(
            "db_connections_in_use",
            "Database connections lent out by the pool",
            self.pool_in_use.clone(),
        );
        registry.register(
            "db_connections_idle",
            "Open database connections waiting in the pool",
            self.pool_idle.clone(),
        );
        registry.register(
            "db_connections_max",
            "Most database connections the pool opens",
            self.pool_max.clone(),
        );
        registry.register(
            "realtime_events_published",
            "Room events committed on this node",
            self.events_published.clone(),
        );
        registry.register(
            "realtime_deliveries",
            "Room events offered to a local subscriber's queue, one per subscriber",
            self.deliveries.clone(),
        );
        registry.register(
            "ws_slow_disconnects",
            "WebSocket connections cut because they fell behind",
            self.slow_cuts.clone(),
        );
        registry.register_with_unit(
            "realtime_command_duration",
            "Time to run a WebSocket command, by outcome",
            Unit::Seconds,
            self.commands.clone(),
        );
        registry.register_with_unit(
            "realtime_bus_lag",
            "Age of a room event when this node read it from the log to deliver it: \
             events committed on other nodes, and local ones re-read after a gap",
            Unit::Seconds,
            self.bus_lag.clone(),
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request, by method, route and status",
            Unit::Seconds,
            self.http_requests.clone(),
        );
        self
    }

    /// Events committed on this node.
    pub fn published(&self, events: usize) {
        self.events_published.inc_by(events as u64);
    }

    /// One event offered to `subscribers` local queues.
    pub fn delivered(&self, subscribers: usize) {
        self.deliveries.inc_by(subscribers as u64);
    }

    /// A connection was cut for falling behind.
    pub fn cut_as_slow(&self) {
        self.slow_cuts.inc();
    }

    /// Creates the command series of these features, so that a rate of errors is 0 from
    /// the start rather than absent.
    pub fn expect_commands(&self, features: impl IntoIterator<Item = &'static str>) {
        for feature in features {
            for outcome in OUTCOMES {
                let _ = self
                    .commands
                    .get_or_create(&CommandLabels { feature, outcome });
            }
        }
    }

    /// Runs a WebSocket command of `feature` and records how long it took and whether it
    /// succeeded.
    pub async fn time_command<T, E>(
        &self,
        feature: &'static str,
        command: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let started = Instant::now();
        let result = command.await;
        let outcome = OUTCOMES[usize::from(result.is_err())];
        self.commands
            .get_or_create(&CommandLabels { feature, outcome })
            .observe(started.elapsed().as_secs_f64());
        result
    }

    /// An event that was `age_secs` old when read from the log. The age is measured by
    /// the database's clock at both ends (see `log::after_cursors`): nodes' clocks may
    /// disagree, the database's agrees with itself.
    pub fn bus_lag(&self, age_secs: f64) {
        self.bus_lag.observe(age_secs.max(0.0));
    }

    fn http_request(&self, method: &'static str, route: String, status: u16, took: Duration) {
        self.http_requests
            .get_or_create(&HttpLabels {
                method,
                route,
                status,
            })
            .observe(took.as_secs_f64());
    }

    /// The exposition: every family, with the gauges set from `readings`.
    pub fn encode(&self, readings: Readings) -> String {
        self.connections.set(gauge_value(readings.connections));
        self.rooms.set(gauge_value(readings.rooms));
        let open = gauge_value(readings.pool_open as usize);
        let idle = gauge_value(readings.pool_idle);
        self.pool_in_use.set(open.saturating_sub(idle).max(0));
        self.pool_idle.set(idle);
        self.pool_max.set(gauge_value(readings.pool_max as usize));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String does not fail");
        text
    }
}

fn gauge_value(count: usize) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}
