//! Structured logging with `tracing`: JSON when `VIADUC_LOG_FORMAT=json`, human text otherwise.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let json = std::env::var("VIADUC_LOG_FORMAT").is_ok_and(|format| format == "json");
    // `try_init` because tests may initialise it more than once.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
