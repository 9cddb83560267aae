//! Login rate limits, per client address and per account, so that neither a single
//! machine nor a botnet aiming at one account can guess passwords quickly.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{AppError, AppResult};

/// Attempts per minute from one address. Generous, because a whole venue's Wi-Fi may share
/// one public address at a hybrid event.
const ATTEMPTS_PER_MINUTE_PER_IP: u32 = 60;
/// Attempts per minute on one account.
const ATTEMPTS_PER_MINUTE_PER_ACCOUNT: u32 = 5;
/// Forget idle keys once the tables hold this many, so memory stays bounded.
const MAX_TRACKED_KEYS: usize = 100_000;

pub struct LoginLimiter {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        let quota = |per_minute: u32| {
            Quota::per_minute(NonZeroU32::new(per_minute).expect("quota is not zero"))
        };
        LoginLimiter {
            per_ip: RateLimiter::keyed(quota(ATTEMPTS_PER_MINUTE_PER_IP)),
            per_account: RateLimiter::keyed(quota(ATTEMPTS_PER_MINUTE_PER_ACCOUNT)),
        }
    }
}

impl LoginLimiter {
    /// Counts one login attempt; `RateLimited` when either budget is spent.
    pub fn check(&self, client: IpAddr, normalised_email: &str) -> AppResult<()> {
        if self.per_ip.len() > MAX_TRACKED_KEYS || self.per_account.len() > MAX_TRACKED_KEYS {
            self.per_ip.retain_recent();
            self.per_account.retain_recent();
        }
        let now = DefaultClock::default().now();
        let refused = |not_until: governor::NotUntil<_>| AppError::RateLimited {
            retry_after_secs: not_until.wait_time_from(now).as_secs().max(1),
        };
        self.per_ip.check_key(&client).map_err(refused)?;
        self.per_account
            .check_key(&normalised_email.to_owned())
            .map_err(refused)?;
        Ok(())
    }
}
