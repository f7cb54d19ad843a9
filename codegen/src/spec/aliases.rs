//! A bound on how far YAML aliases may expand a file.
//!
//! serde_yaml limits how often it follows an alias, not how much the
//! aliases expand to: a few kilobytes of anchors that alias each other ten
//! times over ("a billion laughs") become millions of nodes, and minutes of
//! work, before anything is checked. Before such a file is deserialized its
//! events are counted once, each alias standing for the size of what it
//! names, and a file past [`MAX_EXPANDED_NODES`] is refused where the alias
//! that crosses the bound is.

use super::Location;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The most nodes a file may hold once its aliases are expanded. The whole
/// real spec holds a few thousand per file; a million is far past any
/// hand-written file and still quick to deserialize.
pub const MAX_EXPANDED_NODES: u64 = 1_000_000;

/// Where the aliases of `text` first expand it past [`MAX_EXPANDED_NODES`]
/// nodes, if they do. Text without anchors cannot expand and is not read.
/// Syntax errors are left to the deserializer, which reports them.
pub fn too_expanded(text: &str) -> Option<Location> {
    if !text.contains('&') {
        return None;
    }
    let mut counter = Counter::default();
    let mut parser = Parser::new_from_str(text);
    // A syntax error ends the count; the deserializer reports it.
    let _ = parser.load(&mut counter, true);
    counter.too_big_at
}

#[derive(Default)]
struct Counter {
    /// Expanded size of each anchored node, by anchor id.
    anchored: Vec<u64>,
    /// Open collections: their anchor id and the nodes counted so far.
    open: Vec<(usize, u64)>,
    /// Nodes counted in the whole stream.
    total: u64,
    too_big_at: Option<Location>,
}

impl Counter {
    /// Adds a finished node of `size` to its parent and the total, and
    /// remembers it under `anchor` (0 is no anchor).
    fn finish(&mut self, anchor: usize, size: u64, mark: Marker) {
        if anchor > 0 {
            if self.anchored.len() <= anchor {
                self.anchored.resize(anchor + 1, 0);
            }
            self.anchored[anchor] = size;
        }
        if let Some((_, parent)) = self.open.last_mut() {
            *parent = parent.saturating_add(size);
        }
        self.total = self.total.saturating_add(size);
        if self.total > MAX_EXPANDED_NODES && self.too_big_at.is_none() {
            self.too_big_at = Some(Location {
                line: mark.line(),
                column: mark.col() + 1,
            });
        }
    }
}

impl MarkedEventReceiver for Counter {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.too_big_at.is_some() {
            return;
        }
        match event {
            Event::Scalar(_, _, anchor, _) => self.finish(anchor, 1, mark),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.open.push((anchor, 1));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, size)) = self.open.pop() {
                    // The collection's nodes were added to the total one by
                    // one; only its parent still needs them.
                    self.total = self.total.saturating_sub(size.saturating_sub(1));
                    self.finish(anchor, size, mark);
                }
            }
            Event::Alias(anchor) => {
                let size = self.anchored.get(anchor).copied().unwrap_or(1);
                self.finish(0, size, mark);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::too_expanded;

    #[test]
    fn ordinary_files_and_small_aliases_pass() {
        assert_eq!(too_expanded("a: 1\nb: [x, y]\n"), None);
        assert_eq!(too_expanded("a: &x {k: v}\nb: *x\nc: *x\n"), None);
    }

    #[test]
    fn aliases_that_expand_to_millions_of_nodes_are_found() {
        let mut text = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..8 {
            let previous = level - 1;
            text.push_str(&format!(
                "l{level}: &l{level} [*l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}]\n"
            ));
        }
        let at = too_expanded(&text).expect("ten to the eighth nodes");
        assert!(at.line >= 6, "{at:?}");
    }
}
