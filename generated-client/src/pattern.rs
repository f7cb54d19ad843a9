//! Matching strings against the spec's ECMA-262 patterns.
//!
//! Every pattern is compiled once for the life of the process. Most
//! patterns in the spec (object IDs, names, tags) have one shape,
//! `^[class]{min,max}$` with an ASCII class: such a pattern is matched by
//! a byte table and a length check, and every other pattern by `regress`,
//! an ECMA-262 engine. The ID of every request is checked this way, so the
//! common shape is worth not running a regex engine for.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, OnceLock};

/// Whether `value` matches the ECMA-262 `pattern`.
pub(crate) fn matches(pattern: &'static str, value: &str) -> bool {
    match compiled(pattern) {
        Some(Matcher::Repeat(repeat)) => repeat.matches(value),
        Some(Matcher::Regex(regex)) => regex.find(value).is_some(),
        // The generator rejects patterns that do not compile, so this only
        // guards against a hand-edited generated file.
        None => false,
    }
}

/// A compiled pattern.
#[derive(Debug)]
enum Matcher {
    /// `^[class]{min,max}$`.
    Repeat(Repeat),
    /// Anything else.
    Regex(regress::Regex),
}

/// The compiled form of `pattern`, compiled on first use. The cache is
/// keyed by the address of the pattern's text: generated code passes the
/// same `'static` literal every time, so the key is cheap to hash and the
/// cache holds at most one entry per literal in the binary.
fn compiled(pattern: &'static str) -> Option<&'static Matcher> {
    type Cache =
        HashMap<(usize, usize), Option<&'static Matcher>, BuildHasherDefault<AddressHasher>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = match cache.lock() {
        Ok(guard) => guard,
        // A panic elsewhere while holding the lock leaves the map intact.
        Err(poisoned) => poisoned.into_inner(),
    };
    *cache
        .entry((pattern.as_ptr() as usize, pattern.len()))
        .or_insert_with(|| compile(pattern).map(|m| &*Box::leak(Box::new(m))))
}

fn compile(pattern: &str) -> Option<Matcher> {
    match Repeat::parse(pattern) {
        Some(repeat) => Some(Matcher::Repeat(repeat)),
        None => regress::Regex::with_flags(pattern, flags(pattern))
            .ok()
            .map(Matcher::Regex),
    }
}

/// The flags a pattern is compiled with: `u` (Unicode mode) when it uses
/// what only Unicode mode knows (`\p{L}`, `\P{..}`, `\u{..}`), which
/// without it would silently match the letters `p`, `L` and braces; no
/// flags otherwise, since Unicode mode refuses escapes such as `\-` that
/// other patterns use. The generator checks patterns by the same rule.
fn flags(pattern: &str) -> &'static str {
    if ["\\p{", "\\P{", "\\u{"].iter().any(|s| pattern.contains(s)) {
        "u"
    } else {
        ""
    }
}

/// Hashes the (address, length) key of the pattern cache: the keys are
/// distinct addresses, so mixing the bits is all a hash needs to do.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn write_u64(&mut self, value: u64) {
        // The multiplier of FxHash.
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// `^[class]{min,max}$` where the class holds only ASCII characters: the
/// whole value is characters of the class, between `min` and `max` of them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Repeat {
    /// Bit `b` is set when byte `b` (below 128) is in the class.
    class: u128,
    min: usize,
    max: usize,
}

impl Repeat {
    fn matches(&self, value: &str) -> bool {
        // A character outside ASCII is never in the class, so counting
        // bytes counts characters (and UTF-16 units) of a matching value.
        (self.min..=self.max).contains(&value.len())
            && value.bytes().all(|b| b < 128 && self.class & (1 << b) != 0)
    }

    /// The shape if `pattern` is exactly `^[class]quantifier$`; `None` for
    /// anything else, which then goes to the regex engine.
    fn parse(pattern: &str) -> Option<Repeat> {
        let body = pattern.strip_prefix("^[")?.strip_suffix('$')?;
        let (class, quantifier) = parse_class(body.as_bytes())?;
        let (min, max) = parse_quantifier(quantifier)?;
        Some(Repeat { class, min, max })
    }
}

/// A positive class of ASCII characters, up to its closing `]`, and the
/// rest of the input. Only plain characters, ranges of plain characters,
/// `\d`, `\w` and escaped punctuation are taken; anything else (a negated
/// class, `\s`, `\b`, a range ending in a class escape) returns `None`.
fn parse_class(input: &[u8]) -> Option<(u128, &[u8])> {
    if input.first() == Some(&b'^') {
        return None;
    }
    let mut class = 0u128;
    let mut rest = input;
    loop {
        let (item, after) = class_atom(rest)?;
        match item {
            Atom::End => return Some((class, after)),
            // `[\d-z]` is a legacy form whose meaning is best left to the engine.
            Atom::Set(_) if after.first() == Some(&b'-') && after.get(1) != Some(&b']') => {
                return None;
            }
            Atom::Set(set) => {
                class |= set;
                rest = after;
            }
            Atom::Char(low) => match after {
                [b'-', tail @ ..] if tail.first() != Some(&b']') => {
                    let (Atom::Char(high), after_range) = class_atom(tail)? else {
                        return None;
                    };
                    if high < low {
                        return None;
                    }
                    for byte in low..=high {
                        class |= 1 << byte;
                    }
                    rest = after_range;
                }
                _ => {
                    class |= 1 << low;
                    rest = after;
                }
            },
        }
    }
}

/// One element of a character class.
enum Atom {
    /// The closing `]`.
    End,
    /// One character (that may start a range).
    Char(u8),
    /// A class escape: `\d`, `\w`.
    Set(u128),
}

fn class_atom(input: &[u8]) -> Option<(Atom, &[u8])> {
    match input {
        [b']', rest @ ..] => Some((Atom::End, rest)),
        [b'\\', escaped, rest @ ..] => {
            let atom = match escaped {
                b'd' => Atom::Set(range(b'0', b'9')),
                b'w' => {
                    Atom::Set(range(b'0', b'9') | range(b'A', b'Z') | range(b'a', b'z') | 1 << b'_')
                }
                // An escaped punctuation character stands for itself.
                c if c.is_ascii_punctuation() => Atom::Char(*c),
                _ => return None,
            };
            Some((atom, rest))
        }
        // `[` inside a class is legal ECMA-262 but unusual; leave it to
        // the engine rather than reason about it here.
        [c, rest @ ..] if c.is_ascii_graphic() && *c != b'[' => Some((Atom::Char(*c), rest)),
        _ => None,
    }
}

fn range(low: u8, high: u8) -> u128 {
    (low..=high).fold(0, |set, byte| set | 1 << byte)
}

/// `{n}`, `{n,}`, `{n,m}`, `+`, `*` or `?`, and nothing after it.
fn parse_quantifier(input: &[u8]) -> Option<(usize, usize)> {
    match input {
        b"+" => Some((1, usize::MAX)),
        b"*" => Some((0, usize::MAX)),
        b"?" => Some((0, 1)),
        [b'{', inner @ .., b'}'] => {
            let inner = std::str::from_utf8(inner).ok()?;
            let number = |text: &str| -> Option<usize> {
                if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                text.parse().ok()
            };
            match inner.split_once(',') {
                None => number(inner).map(|n| (n, n)),
                Some((min, "")) => number(min).map(|n| (n, usize::MAX)),
                Some((min, max)) => {
                    let (min, max) = (number(min)?, number(max)?);
                    (min <= max).then_some((min, max))
                }
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The patterns the spec uses and a few of the same family.
    const SIMPLE: &[&str] = &[
        r"^[A-Fa-f\d]{24}$",
        r"^[0-9a-zA-Z_-]{1,255}$",
        r"^[0-9a-zA-Z_.-]{1,255}$",
        r"^[\w.\-]+$",
        r"^[a-z]*$",
        r"^[-a-c]?$",
        r"^[a\]b]{2,}$",
        r"^[\\/]{0,3}$",
    ];

    /// Patterns that must go to the regex engine.
    const NOT_SIMPLE: &[&str] = &[
        r"^(?!\.{1,2}$)[0-9a-zA-Z_.-]{1,255}$",
        ".*{{.+}}.*",
        r"^[^a-z]{3}$",
        r"^[\s]{3}$",
        r"^[a-z]{3}",
        r"[a-z]{3}$",
        r"^[a-z]{3}?$",
        r"^[a-z]{3,2}$",
        r"^[a-z]{,2}$",
        r"^[\d-z]$",
        r"^[z-a]$",
        r"^[é]$",
        r"^[a-z]{3}\$",
        r"^[a-z][0-9]$",
    ];

    fn samples() -> Vec<String> {
        let mut samples: Vec<String> = [
            "",
            "a",
            "A",
            "-",
            "_",
            ".",
            "..",
            "]",
            "\\",
            "/",
            "é",
            "aé",
            "a b",
            "a\n",
            "\na",
            "575ec8687ae143cd83dc4a97",
            "575EC8687AE143CD83DC4A97",
            "575ec8687ae143cd83dc4a9",
            "575ec8687ae143cd83dc4a977",
            "575ec8687ae143cd83dc4a9g",
            "575ec8687ae143cd83dc4a9\u{0663}",
            "data.csv",
            "my-notebook_2",
            "a]b",
            "abc",
            "zzzz",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        samples.push("a".repeat(255));
        samples.push("a".repeat(256));
        samples
    }

    #[test]
    fn the_fast_path_agrees_with_the_regex_engine() {
        for pattern in SIMPLE {
            let repeat = Repeat::parse(pattern)
                .unwrap_or_else(|| panic!("{pattern} should take the fast path"));
            let regex = regress::Regex::new(pattern).unwrap();
            for sample in samples() {
                assert_eq!(
                    repeat.matches(&sample),
                    regex.find(&sample).is_some(),
                    "{pattern} on {sample:?}"
                );
            }
        }
    }

    #[test]
    fn unicode_classes_match_unicode_letters() {
        assert!(matches(r"^\p{L}+$", "Größe"));
        assert!(!matches(r"^\p{L}+$", "p{L}"));
        assert!(matches(r"^[\p{L}\d]{1,3}$", "é1"));
        assert!(!matches(r"^[\p{L}\d]{1,3}$", "-"));
        // Patterns without Unicode constructs keep their escapes.
        assert!(matches(r"^[a\-z]+$", "a-z"));
    }

    #[test]
    fn other_shapes_go_to_the_regex_engine() {
        for pattern in NOT_SIMPLE {
            assert_eq!(Repeat::parse(pattern), None, "{pattern}");
        }
        // …and the engine gives the same answers as for any pattern.
        assert!(matches(r"^(?!\.{1,2}$)[0-9a-zA-Z_.-]{1,255}$", "a.csv"));
        assert!(!matches(r"^(?!\.{1,2}$)[0-9a-zA-Z_.-]{1,255}$", ".."));
        assert!(matches(".*{{.+}}.*", "{{data.id}}"));
    }

    #[test]
    fn the_cache_returns_the_same_compiled_pattern() {
        const ID: &str = r"^[A-Fa-f\d]{24}$";
        let first = compiled(ID).unwrap() as *const Matcher;
        let second = compiled(ID).unwrap() as *const Matcher;
        assert_eq!(first, second);
        assert!(matches(ID, "575ec8687ae143cd83dc4a97"));
        assert!(!matches(ID, "575ec8687ae143cd83dc4a9"));
        // A pattern the engine cannot compile matches nothing.
        assert!(!matches("^[", ""));
    }
}
