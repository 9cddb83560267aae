//! The node's open connections, for acting on them from outside their socket: pinging
//! them, closing the sockets of a login that ended, re-checking the rights of someone whose
//! access changed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{mpsc, Notify};
use uuid::Uuid;

use super::hub::{ConnId, Hub, Outgoing, Subscriber};
use super::room::{Rights, RoomId};

/// Which of a connection's rooms to re-check after an access change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recheck {
    /// Every room of this conference.
    Conference(Uuid),
    /// Every room of one thing (`<any kind>:<id>`: a session's room and its backstage).
    RoomsOf(Uuid),
    /// Every room.
    All,
}

impl Recheck {
    pub fn covers(self, room: RoomId, rights: &Rights) -> bool {
        match self {
            Recheck::Conference(id) => rights.conference_id == Some(id),
            Recheck::RoomsOf(id) => room.id == id,
            Recheck::All => true,
        }
    }
}

/// Tells a connection to close, with a code; the first code given wins. An atomic and one
/// `Notify`, not a `watch` channel: that one is some 400 bytes more per connection.
#[derive(Default)]
pub struct Kick {
    /// 0 until a code is given.
    code: AtomicU16,
    given: Notify,
}

impl Kick {
    pub fn close_with(&self, code: u16) {
        if self
            .code
            .compare_exchange(0, code, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            // Stores a permit when the connection is not waiting yet: it will see it.
            self.given.notify_one();
        }
    }

    /// Completes once a code was given (also if that happened before the call).
    pub async fn given(&self) {
        self.given.notified().await;
    }

    pub fn code(&self) -> Option<u16> {
        match self.code.load(Ordering::Acquire) {
            0 => None,
            code => Some(code),
        }
    }
}

struct Open {
    login_id: Uuid,
    user_id: Uuid,
    subscriber: Subscriber,
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

    /// Registers a connection of `user_id`'s login `login_id`, whose socket loop reads
    /// `queue`. The subscriber's kick says when (and with which code) to close it.
    pub fn register(
        &self,
        login_id: Uuid,
        user_id: Uuid,
        queue: mpsc::Sender<Outgoing>,
    ) -> (ConnId, Subscriber) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let subscriber = Subscriber {
            queue,
            kick: Arc::new(Kick::default()),
        };
        self.lock().insert(
            id,
            Open {
                login_id,
                user_id,
                subscriber: subscriber.clone(),
            },
        );
        (id, subscriber)
    }

    pub fn unregister(&self, id: ConnId) {
        self.lock().remove(&id);
    }

    /// Number of open connections on this node.
    pub fn count(&self) -> usize {
        self.lock().len()
    }

    /// Asks every connection to ping its client.
    fn ping_all(&self) {
        for open in self.lock().values() {
            open.subscriber.offer(Outgoing::Ping);
        }
    }

    /// Closes every connection of `login_id`.
    pub fn close_login(&self, login_id: Uuid, code: u16) {
        for open in self.lock().values() {
            if open.login_id == login_id {
                open.subscriber.kick.close_with(code);
            }
        }
    }

    /// Re-checks `user_id`'s rights in the rooms `scope` names, on every connection.
    pub fn recheck_person(&self, user_id: Uuid, scope: Recheck) {
        for open in self.lock().values().filter(|open| open.user_id == user_id) {
            // A connection too busy to take it is cut: it re-enters its rooms when it is back.
            open.subscriber.offer(Outgoing::Recheck(Box::new(scope)));
        }
    }
}

/// Pings every connection of the node every `every`. One timer for the node rather than
/// one per connection: at 10,000 connections each timer costs memory and a poll per
/// delivery.
pub async fn run_pinger(hub: Arc<Hub>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        hub.connections.ping_all();
    }
}
