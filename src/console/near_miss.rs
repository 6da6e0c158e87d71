//! "Did you mean": the playground's note after Kafka's own error when a topic or group name
//! is one typo away from one that exists. Kafka prints no such hint; the note is dim and comes
//! after Kafka's text, which stays as Kafka prints it.

use super::Output;
use super::registry::edit_distance;

/// The existing name closest to `typed`, if it is close enough to be a typo of it (the case
/// aside, at most two edits, and at most a third of the name).
pub fn closest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed_lower = typed.to_lowercase();
    names
        .into_iter()
        .filter(|n| *n != typed)
        .map(|n| (edit_distance(&typed_lower, &n.to_lowercase()), n))
        .filter(|(d, n)| *d <= 2 && d * 3 <= n.chars().count())
        .min()
        .map(|(_, n)| n)
}

/// Writes the note for a `kind` ("topic", "group") named `typed` that does not exist.
pub fn note<'a>(
    out: &mut Output,
    kind: &str,
    typed: &str,
    names: impl IntoIterator<Item = &'a str>,
) {
    if let Some(name) = closest(typed, names) {
        out.note(&format!(
            "[playground] No {kind} '{typed}': did you mean '{name}'?"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::closest;

    const NAMES: [&str; 4] = ["orders", "payments", "quickstart-events", "a"];

    #[test]
    fn a_typo_finds_the_name() {
        assert_eq!(closest("order", NAMES), Some("orders"));
        assert_eq!(closest("paymnets", NAMES), Some("payments"));
        assert_eq!(
            closest("quickstart-event", NAMES),
            Some("quickstart-events")
        );
        assert_eq!(closest("Orders", NAMES), Some("orders"));
    }

    #[test]
    fn a_different_name_finds_nothing() {
        assert_eq!(closest("customers", NAMES), None);
        assert_eq!(closest("b", NAMES), None);
        assert_eq!(closest("orders", NAMES), None);
        assert_eq!(closest("x", []), None);
    }
}
