//! The node's open connections, for acting on them from outside their socket: closing the
//! sockets of a login that ended, ending the subscriptions of someone removed from a
//! conference.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use super::hub::ConnId;
use super::protocol::close;
use super::worker::Job;

/// Tells a connection to close, with this code.
pub type Kick = Arc<watch::Sender<Option<u16>>>;

struct Open {
    session_id: Uuid,
    user_id: Uuid,
    kick: Kick,
    /// The connection's worker, which owns its subscriptions.
    jobs: mpsc::Sender<Box<Job>>,
}

pub struct Connections {
    open: Mutex<HashMap<ConnId, Open>>,
    next: AtomicU64,
}

impl Default for Connections {
    fn default() -> Self {
        Connections {
            open: Mutex::default(),
            next: AtomicU64::new(1),
        }
    }
}

impl Connections {
    fn lock(&self) -> MutexGuard<'_, HashMap<ConnId, Open>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a connection of `user_id`'s login `session_id`; the receiver of the kick
    /// says when (and with which code) to close it.
    pub fn register(
        &self,
        session_id: Uuid,
        user_id: Uuid,
        jobs: mpsc::Sender<Box<Job>>,
    ) -> (ConnId, Kick) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let kick = Arc::new(watch::Sender::new(None));
        self.lock().insert(
            id,
            Open {
                session_id,
                user_id,
                kick: Arc::clone(&kick),
                jobs,
            },
        );
        (id, kick)
    }

    pub fn unregister(&self, id: ConnId) {
        self.lock().remove(&id);
    }

    /// Number of open connections on this node.
    pub fn count(&self) -> usize {
        self.lock().len()
    }

    /// Closes every connection of the given logins.
    pub fn close_sessions(&self, sessions: &HashSet<Uuid>, code: u16) {
        for open in self.lock().values() {
            if sessions.contains(&open.session_id) {
                open.kick.send_replace(Some(code));
            }
        }
    }

    /// Ends `user_id`'s subscriptions to the rooms of `conference_id`, on every connection.
    pub fn end_membership(&self, user_id: Uuid, conference_id: Uuid) {
        for open in self.lock().values().filter(|open| open.user_id == user_id) {
            if open
                .jobs
                .try_send(Box::new(Job::Removed { conference_id }))
                .is_err()
            {
                // Too busy to take the job: cut it. It cannot subscribe to those rooms again.
                open.kick.send_replace(Some(close::SLOW));
            }
        }
    }
}
