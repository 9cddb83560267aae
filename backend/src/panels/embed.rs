//! How a session's stream URL (set by organisers) appears on its stage: YouTube and Vimeo
//! watch links become their players' embed addresses; a PeerTube, Jitsi or BigBlueButton
//! link on an origin the operator allowed (`--embed-origins`) is framed, the last two with
//! camera and microphone; an `.m3u8` address plays in the page's HLS player; anything else
//! is a plain "open the stream" link. Nothing is framed from an origin not on the list,
//! which is also the Content-Security-Policy's `frame-src` (see `web/`).

use serde::Serialize;
use ts_rs::TS;
use url::Url;

/// Origins framed for every deployment: the players of YouTube (without tracking cookies)
/// and Vimeo, and the public Jitsi.
const BUILT_IN: [&str; 3] = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://meet.jit.si",
];

/// The stage's stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Embed {
    /// An embedded player or meeting; `media`: it asks for the camera and microphone.
    Frame { src: String, media: bool },
    /// An HLS stream for the page's own player.
    Hls { src: String },
    /// Not embeddable: a link that opens in a new tab.
    Link { href: String },
}

/// Every origin a page may frame: the built-in players and the operator's.
pub fn frame_origins(allowed: &[String]) -> Vec<String> {
    let mut origins: Vec<String> = BUILT_IN.iter().map(|origin| (*origin).to_owned()).collect();
    origins.extend(allowed.iter().cloned());
    origins.dedup();
    origins
}

/// The stage's stream for `stream_url`, given the operator's allowed origins (each
/// `https://host[:port]`). `None` for no URL or one that is not http(s).
pub fn embed(stream_url: &str, allowed: &[String]) -> Option<Embed> {
    let url = Url::parse(stream_url.trim()).ok()?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return None;
    }
    if let Some(src) = known_player(&url) {
        return Some(Embed::Frame { src, media: false });
    }
    if url.scheme() == "https" && url.path().ends_with(".m3u8") {
        return Some(Embed::Hls { src: url.into() });
    }
    let origin = url.origin().ascii_serialization();
    if origin == "https://meet.jit.si" || allowed.contains(&origin) {
        if let Some(src) = peertube_player(&url) {
            return Some(Embed::Frame { src, media: false });
        }
        // A meeting (Jitsi, BigBlueButton): framed as it is, with camera and microphone.
        return Some(Embed::Frame {
            src: url.into(),
            media: true,
        });
    }
    Some(Embed::Link { href: url.into() })
}

/// YouTube's and Vimeo's watch links, as their players' addresses.
fn known_player(url: &Url) -> Option<String> {
    let host = url
        .host_str()?
        .trim_start_matches("www.")
        .trim_start_matches("m.");
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let video = match (host, segments.as_slice()) {
        ("youtube.com", ["watch"]) => url
            .query_pairs()
            .find(|(key, _)| key == "v")
            .map(|(_, id)| id.into_owned()),
        ("youtube.com", ["live" | "embed", id]) | ("youtu.be", [id]) => Some((*id).to_owned()),
        ("vimeo.com", [id]) if id.bytes().all(|b| b.is_ascii_digit()) => {
            return Some(format!("https://player.vimeo.com/video/{id}"));
        }
        _ => None,
    }?;
    let plain = !video.is_empty()
        && video
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plain.then(|| format!("https://www.youtube-nocookie.com/embed/{video}"))
}

/// PeerTube's watch links (`/w/<id>`, `/videos/watch/<id>`), as its player's address.
fn peertube_player(url: &Url) -> Option<String> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let id = match segments.as_slice() {
        ["w", id] | ["videos", "watch", id] => *id,
        _ => return None,
    };
    let origin = url.origin().ascii_serialization();
    Some(format!("{origin}/videos/embed/{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(src: &str, media: bool) -> Option<Embed> {
        Some(Embed::Frame {
            src: src.to_owned(),
            media,
        })
    }

    #[test]
    fn watch_links_become_players_and_unknown_hosts_stay_links() {
        let allowed = vec![
            "https://peertube.example.eu".to_owned(),
            "https://bbb.example.eu".to_owned(),
        ];
        let cases = [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1",
                frame("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", false),
            ),
            (
                "https://youtu.be/dQw4w9WgXcQ",
                frame("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", false),
            ),
            (
                "https://www.youtube.com/live/abc_DEF-1",
                frame("https://www.youtube-nocookie.com/embed/abc_DEF-1", false),
            ),
            (
                "https://vimeo.com/76979871",
                frame("https://player.vimeo.com/video/76979871", false),
            ),
            (
                "https://peertube.example.eu/w/kkGMgK9ZtnKfYAgnEtQxbv",
                frame(
                    "https://peertube.example.eu/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv",
                    false,
                ),
            ),
            (
                "https://peertube.example.eu/videos/watch/9c9de5e8",
                frame("https://peertube.example.eu/videos/embed/9c9de5e8", false),
            ),
            (
                "https://meet.jit.si/ecc-2026-panel",
                frame("https://meet.jit.si/ecc-2026-panel", true),
            ),
            (
                "https://bbb.example.eu/rooms/abc-def/join",
                frame("https://bbb.example.eu/rooms/abc-def/join", true),
            ),
            (
                "https://cdn.example.eu/live/stage.m3u8",
                Some(Embed::Hls {
                    src: "https://cdn.example.eu/live/stage.m3u8".into(),
                }),
            ),
            (
                "https://other.example.org/w/123",
                Some(Embed::Link {
                    href: "https://other.example.org/w/123".into(),
                }),
            ),
            // A look-alike host is not YouTube.
            (
                "https://youtube.com.evil.example/watch?v=x",
                Some(Embed::Link {
                    href: "https://youtube.com.evil.example/watch?v=x".into(),
                }),
            ),
            (
                "https://www.youtube.com/watch?v=%22onload%3D",
                Some(Embed::Link {
                    href: "https://www.youtube.com/watch?v=%22onload%3D".into(),
                }),
            ),
            ("javascript:alert(1)", None),
            ("not a url", None),
        ];
        for (url, expected) in cases {
            assert_eq!(embed(url, &allowed), expected, "{url}");
        }
    }

    #[test]
    fn the_frame_origins_are_the_built_in_players_and_the_operators() {
        let origins = frame_origins(&["https://peertube.example.eu".to_owned()]);
        assert_eq!(origins.len(), 4);
        assert!(origins.contains(&"https://player.vimeo.com".to_owned()));
        assert!(origins.contains(&"https://peertube.example.eu".to_owned()));
    }
}
