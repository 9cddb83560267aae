//! Reactions (👏 ❤️ 😂 🤔 👍): ephemeral pulses (`realtime/pulse.rs`). Anyone in the
//! session's room may send one; screens receive, twice a second at most, how many people
//! sent each reaction. Nothing is written to the database.

use super::wire::{Reaction, ReactionSent, SendReaction};
use crate::realtime::feature::CommandCtx;

/// The pulse's name: its `signal` frames carry it.
pub const REACTION_BURST: &str = "reaction.burst";

pub fn send(ctx: &CommandCtx<'_>, reaction: SendReaction) -> ReactionSent {
    let counted = ctx.pulses.add(
        ctx.room,
        REACTION_BURST,
        key(reaction.reaction),
        ctx.user_id,
    );
    ReactionSent { counted }
}

/// The key a reaction is counted under (its wire name).
fn key(reaction: Reaction) -> &'static str {
    match reaction {
        Reaction::Clap => "clap",
        Reaction::Heart => "heart",
        Reaction::Laugh => "laugh",
        Reaction::Thinking => "thinking",
        Reaction::ThumbsUp => "thumbs_up",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_wire_names() {
        for reaction in [
            Reaction::Clap,
            Reaction::Heart,
            Reaction::Laugh,
            Reaction::Thinking,
            Reaction::ThumbsUp,
        ] {
            let wire = serde_json::to_value(reaction).unwrap();
            assert_eq!(wire, key(reaction));
        }
    }
}
