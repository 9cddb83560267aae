//! The server's side of a measurement, read from `/proc`: CPU time (user + system) and
//! resident memory of the server processes.

use anyhow::Context;
use nix::unistd::{sysconf, SysconfVar};

/// CPU seconds the processes used so far (utime + stime, children excluded).
pub fn cpu_seconds(pids: &[u32]) -> anyhow::Result<f64> {
    let times = cpu_times(pids)?;
    Ok(times.user + times.system)
}

/// CPU seconds the processes used so far, in user space and in the kernel on their behalf.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuTimes {
    pub user: f64,
    pub system: f64,
}

impl std::ops::Sub for CpuTimes {
    type Output = CpuTimes;
    fn sub(self, earlier: CpuTimes) -> CpuTimes {
        CpuTimes {
            user: self.user - earlier.user,
            system: self.system - earlier.system,
        }
    }
}

pub fn cpu_times(pids: &[u32]) -> anyhow::Result<CpuTimes> {
    let ticks_per_second = sysconf(SysconfVar::CLK_TCK)?.unwrap_or(100) as f64;
    let mut ticks = [0u64; 2];
    for pid in pids {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .with_context(|| format!("reading /proc/{pid}/stat"))?;
        // Fields after the command name, which may contain spaces, ends with ')'.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        for (total, index) in ticks.iter_mut().zip([11, 12]) {
            *total += fields
                .get(index)
                .context("short /proc stat line")?
                .parse::<u64>()?;
        }
    }
    Ok(CpuTimes {
        user: ticks[0] as f64 / ticks_per_second,
        system: ticks[1] as f64 / ticks_per_second,
    })
}

/// Resident memory of the processes, in bytes.
pub fn rss_bytes(pids: &[u32]) -> anyhow::Result<u64> {
    let mut total = 0;
    for pid in pids {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .with_context(|| format!("reading /proc/{pid}/status"))?;
        let kib = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| {
                value
                    .trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .context("no VmRSS line")?;
        total += kib * 1024;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_own_process() {
        let me = [std::process::id()];
        assert!(rss_bytes(&me).unwrap() > 1024 * 1024);
        assert!(cpu_seconds(&me).unwrap() >= 0.0);
    }
}
