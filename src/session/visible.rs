//! Text made safe to look at: characters that reorder or hide text on screen (bidirectional
//! controls, zero-width characters) are shown as `⟨U+202E⟩` instead of acting. A group id, a
//! file name or a record value can hold them, and `U+202E gnp.exe U+202C spoof` must not
//! read as `spoofexe.png` in the console or the live view. A real terminal shows them inertly too.

use std::borrow::Cow;

/// Whether `c` changes how the text around it is displayed without being seen itself.
fn acts_unseen(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// `text` with every such character replaced by its code point, visibly.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_unseen) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if acts_unseen(c) {
            shown.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn controls_are_shown_not_obeyed() {
        assert_eq!(
            visible("\u{202E}gnp.exe\u{202C}spoof"),
            "⟨U+202E⟩gnp.exe⟨U+202C⟩spoof"
        );
        assert_eq!(visible("a\u{200B}b\u{FEFF}"), "a⟨U+200B⟩b⟨U+FEFF⟩");
        // Ordinary text, Arabic and Hebrew included, is left alone.
        assert!(matches!(
            visible("orders שלום مرحبا ✓"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
