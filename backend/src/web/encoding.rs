//! Which stored copy of a frontend file to send, from the request's `Accept-Encoding`
//! (RFC 9110 §12.5.3, with q-values).

use axum::http::header::ACCEPT_ENCODING;
use axum::http::HeaderMap;

/// A content coding `npm run build` stores a file in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The compressed copies, smallest first: on equal preference the smaller one is sent.
    pub const COMPRESSED: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    /// What the build appends to a file's name for this copy.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
            Encoding::Identity => "",
        }
    }

    /// The `Content-Encoding` value, none for the file itself.
    pub fn content_encoding(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }
}

/// How much a request wants each coding, as q-values in thousandths (0 = not acceptable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    brotli: u16,
    gzip: u16,
    identity: u16,
}

impl Accepted {
    /// Reads every `Accept-Encoding` header of a request. Without one only the file itself is
    /// sent: RFC 9110 allows any coding then, but a client that sent nothing may not decode.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let mut values = headers.get_all(ACCEPT_ENCODING).iter().peekable();
        if values.peek().is_none() {
            return Accepted {
                brotli: 0,
                gzip: 0,
                identity: 1000,
            };
        }
        let (mut brotli, mut gzip, mut identity, mut any) = (None, None, None, None);
        // A value that is not visible ASCII cannot name a coding: it is skipped.
        for item in values
            .filter_map(|value| value.to_str().ok())
            .flat_map(|v| v.split(','))
        {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            // An item whose weight is malformed says nothing we can trust: it is ignored.
            let Some(q) = weight(parts) else { continue };
            let slot = match coding.to_ascii_lowercase().as_str() {
                "br" => &mut brotli,
                "gzip" | "x-gzip" => &mut gzip,
                "identity" => &mut identity,
                "*" => &mut any,
                _ => continue,
            };
            slot.get_or_insert(q);
        }
        Accepted {
            brotli: brotli.or(any).unwrap_or(0),
            gzip: gzip.or(any).unwrap_or(0),
            // Unnamed, the file itself stays acceptable (RFC 9110) but is wanted least: a
            // client that lists only `gzip;q=0.8` wants gzip.
            identity: identity.or(any).unwrap_or(1),
        }
    }

    fn q(&self, encoding: Encoding) -> u16 {
        match encoding {
            Encoding::Brotli => self.brotli,
            Encoding::Gzip => self.gzip,
            Encoding::Identity => self.identity,
        }
    }

    /// The coding to send among the stored copies (`stored` says which exist; the file itself
    /// always does): the most wanted one, the smaller on a tie, a copy over the file itself on
    /// a tie. When the client accepts nothing stored the file itself is sent anyway, since a
    /// 406 leaves the person with no page at all.
    pub fn choose(&self, stored: impl Fn(Encoding) -> bool) -> Encoding {
        Encoding::COMPRESSED
            .into_iter()
            .filter(|&encoding| {
                let q = self.q(encoding);
                q > 0 && q >= self.identity && stored(encoding)
            })
            // `min_by_key` keeps the first of equals: brotli before gzip.
            .min_by_key(|&encoding| std::cmp::Reverse(self.q(encoding)))
            .unwrap_or(Encoding::Identity)
    }
}

/// The `q` parameter of one item (1 when absent), or `None` when it is malformed.
fn weight<'a>(params: impl Iterator<Item = &'a str>) -> Option<u16> {
    let mut q = Some(1000);
    for param in params {
        if let Some((name, value)) = param.split_once('=') {
            if name.trim().eq_ignore_ascii_case("q") {
                q = qvalue(value.trim());
            }
        }
    }
    q
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn qvalue(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0, |n, digit| n * 10 + u16::from(digit - b'0'));
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accepted(values: &[&str]) -> Accepted {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        }
        Accepted::from_headers(&headers)
    }

    fn chosen(values: &[&str]) -> Encoding {
        accepted(values).choose(|_| true)
    }

    #[test]
    fn browsers_get_brotli() {
        assert_eq!(chosen(&["gzip, deflate, br, zstd"]), Encoding::Brotli);
        assert_eq!(chosen(&["gzip, deflate, br"]), Encoding::Brotli);
    }

    #[test]
    fn q_values_decide_over_the_order() {
        assert_eq!(chosen(&["br;q=0.5, gzip;q=1.0"]), Encoding::Gzip);
        assert_eq!(chosen(&["br;q=0, gzip"]), Encoding::Gzip);
        assert_eq!(chosen(&["BR ; Q=0.900 , GZIP;q=0.8"]), Encoding::Brotli);
        assert_eq!(chosen(&["x-gzip"]), Encoding::Gzip);
        assert_eq!(chosen(&["gzip;q=0.8"]), Encoding::Gzip);
        assert_eq!(chosen(&["gzip;q=0.2, identity;q=0.5"]), Encoding::Identity);
    }

    #[test]
    fn the_wildcard_covers_what_is_not_named() {
        assert_eq!(chosen(&["*"]), Encoding::Brotli);
        assert_eq!(chosen(&["br;q=0, *;q=0.5"]), Encoding::Gzip);
        assert_eq!(chosen(&["*;q=0.1, identity"]), Encoding::Identity);
    }

    #[test]
    fn the_file_itself_when_nothing_stored_is_accepted() {
        assert_eq!(accepted(&[]).choose(|_| true), Encoding::Identity);
        assert_eq!(chosen(&[""]), Encoding::Identity);
        assert_eq!(chosen(&["deflate, zstd"]), Encoding::Identity);
        assert_eq!(chosen(&["br;q=0, gzip;q=0"]), Encoding::Identity);
        assert_eq!(chosen(&["identity;q=0"]), Encoding::Identity);
        // Only a gzip copy is stored: a brotli-only client gets the file itself.
        let stored = |encoding| encoding == Encoding::Gzip;
        assert_eq!(accepted(&["br"]).choose(stored), Encoding::Identity);
        assert_eq!(accepted(&["br, gzip;q=0.1"]).choose(stored), Encoding::Gzip);
    }

    #[test]
    fn several_headers_are_one_list() {
        assert_eq!(chosen(&["deflate", "gzip"]), Encoding::Gzip);
        assert_eq!(chosen(&["gzip;q=0.5", "br;q=0.6"]), Encoding::Brotli);
    }

    #[test]
    fn malformed_weights_are_ignored() {
        assert_eq!(chosen(&["br;q=2, gzip"]), Encoding::Gzip);
        assert_eq!(chosen(&["br;q=0.5x, gzip;q=0.1"]), Encoding::Gzip);
        assert_eq!(chosen(&["br;q=1.5, gzip;q=0.1234"]), Encoding::Identity);
        assert_eq!(qvalue("1."), Some(1000));
        assert_eq!(qvalue("0.05"), Some(50));
        assert_eq!(qvalue("-0"), None);
        assert_eq!(qvalue(""), None);
    }
}
