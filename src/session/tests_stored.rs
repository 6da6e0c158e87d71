//! The saved session's guarantees, as the page would see them: nothing is written over a saved
//! session the user did not replace on purpose, and two tabs never lose the newer work.

use std::cell::RefCell;
use std::rc::Rc;

use super::*;

const START: f64 = 1_700_000_000_000.0;
const BOOT: &str = "--bootstrap-server localhost:9092";

/// What `storage` holds now, as a page opening would read it.
fn read(storage: &MemoryStorage) -> Result<Stored, String> {
    let slot = Rc::new(RefCell::new(None));
    let answer = slot.clone();
    storage.load(Box::new(move |r| *answer.borrow_mut() = Some(r)));
    slot.take().expect("memory storage answers at once")
}

/// Saves `wb` as the page does; returns what storage said.
fn save(wb: &mut Workbench, storage: &MemoryStorage) -> Result<(), SaveError> {
    let (text, meta) = wb.to_save();
    let slot = Rc::new(RefCell::new(None));
    let answer = slot.clone();
    storage.save(
        text,
        meta,
        Box::new(move |r| *answer.borrow_mut() = Some(r)),
    );
    let result = slot.take().expect("memory storage answers at once");
    if let Err(e) = &result {
        wb.apply(Action::SaveFailed(e.clone()));
    }
    result
}

fn open(storage: &MemoryStorage, now: f64) -> Workbench {
    Workbench::open(Start::Stored(read(storage)), now, Rc::new(Headless))
}

fn shown(wb: &Workbench) -> String {
    wb.tabs[0]
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn with_topic(storage: &MemoryStorage, topic: &str) -> Workbench {
    let mut wb = open(storage, START);
    wb.apply(Action::Enter(format!(
        "kafka-topics.sh {BOOT} --create --topic {topic}"
    )));
    assert_eq!(save(&mut wb, storage), Ok(()));
    wb
}

#[test]
fn the_older_of_two_tabs_never_writes_over_the_newer_work() {
    let storage = MemoryStorage::default();
    with_topic(&storage, "first");
    // Two tabs open the same saved session; the second saves newer work.
    let mut older = open(&storage, START + 1_000.0);
    let mut newer = open(&storage, START + 1_000.0);
    newer.apply(Action::Enter(format!(
        "kafka-topics.sh {BOOT} --create --topic newer"
    )));
    assert_eq!(save(&mut newer, &storage), Ok(()));
    // The older tab, changed and then closed last, is refused and says so.
    older.apply(Action::Enter("echo older > f".into()));
    assert!(matches!(
        save(&mut older, &storage),
        Err(SaveError::Newer(_))
    ));
    assert_eq!(older.lease, Lease::Stale);
    assert!(shown(&older).contains("Newer work on this session was saved in another tab"));
    assert!(
        older.text_to_keep().is_none(),
        "nothing is written as it closes"
    );
    assert!(!older.apply(Action::Enter("echo more > g".into())).save);
    let reopened = open(&storage, START + 2_000.0);
    assert!(reopened.playground.cluster.topic("newer").is_some());
    // The newer tab goes on saving.
    newer.apply(Action::Enter("echo next > n".into()));
    assert_eq!(save(&mut newer, &storage), Ok(()));
}

#[test]
fn a_tab_without_the_writers_lease_saves_nothing() {
    let storage = MemoryStorage::default();
    let mut wb = with_topic(&storage, "t");
    wb.apply(Action::Lease(Lease::Elsewhere));
    assert!(!wb.apply(Action::Enter("echo x > f".into())).save);
    assert!(wb.text_to_keep().is_none());
    wb.apply(Action::Lease(Lease::Writer));
    assert!(
        wb.text_to_keep().is_some(),
        "the change is kept once it writes"
    );
}

#[test]
fn a_page_left_with_nothing_changed_writes_nothing() {
    let storage = MemoryStorage::default();
    with_topic(&storage, "kept");
    let mut wb = open(&storage, START + 60_000.0);
    wb.apply(Action::Tick(START + 60_100.0));
    assert!(wb.text_to_keep().is_none(), "restored, untouched");
    wb.apply(Action::Enter("echo changed > f".into()));
    assert!(wb.text_to_keep().is_some());
    assert!(wb.text_to_keep().is_none(), "taken already");
}

#[test]
fn an_unreadable_saved_session_is_kept_aside_and_not_overwritten_on_leaving() {
    let storage = MemoryStorage::default();
    *storage.stored.borrow_mut() = Stored::text("{\"format\":1,\"playground\":");
    let mut wb = open(&storage, START);
    let aside = wb.set_aside.take().expect("kept aside for export");
    assert!(!aside.readable);
    assert_eq!(aside.text, "{\"format\":1,\"playground\":");
    assert!(shown(&wb).contains("Your saved session could not be read: it is damaged"));
    assert!(shown(&wb).contains("It is kept aside in this browser"));
    assert!(wb.playground.cluster.topics().all(|t| t.is_internal()));
    assert!(wb.text_to_keep().is_none(), "nothing is written on leaving");
}

#[test]
fn a_restore_says_how_long_ago_it_was_saved() {
    let storage = MemoryStorage::default();
    with_topic(&storage, "kept");
    let wb = open(&storage, START + 3.0 * 3_600_000.0);
    assert!(
        shown(&wb).contains("Restored your session from this browser, as saved 3 hours ago (by this computer's clock): 1 topic(s)"),
        "{}",
        shown(&wb)
    );
    assert!(shown(&wb).contains("Not restored: the scrollback, and any tool that was running"));
}

fn link_to(topic: &str) -> String {
    let mut live = Workbench::new(START);
    live.apply(Action::Enter(format!(
        "kafka-topics.sh {BOOT} --create --topic {topic}"
    )));
    live.journal
        .as_ref()
        .map(|j| j.encode())
        .unwrap_or_default()
}

#[test]
fn a_share_link_opens_as_its_own_session_and_keeps_the_saved_one_aside() {
    let storage = MemoryStorage::default();
    with_topic(&storage, "mine");
    let stored = read(&storage);
    let mut wb = Workbench::open(
        Start::Link(link_to("shared"), stored),
        START + 5_000.0,
        Rc::new(Headless),
    );
    assert!(wb.playground.cluster.topic("shared").is_some());
    assert!(shown(&wb).contains("Your own session is kept: Sessions lists it"));
    let aside = wb
        .set_aside
        .take()
        .expect("the saved session is kept aside");
    assert!(aside.readable);
    assert_eq!(aside.meta.summary, "1 topic · 1 command");
    let mine = crate::snapshot::parse(&aside.text).expect("it is the saved snapshot");
    assert!(mine.playground.cluster.topic("mine").is_some());
    // The link's session is saved as the current one, above the saved generation.
    assert_eq!(save(&mut wb, &storage), Ok(()));
}

#[test]
fn a_damaged_share_link_opens_the_saved_session_and_leaving_keeps_it() {
    let storage = MemoryStorage::default();
    with_topic(&storage, "mine");
    let before = read(&storage);
    let mut wb = Workbench::open(
        Start::Link("v1.garbage".into(), read(&storage)),
        START + 5_000.0,
        Rc::new(Headless),
    );
    assert!(wb.playground.cluster.topic("mine").is_some());
    assert!(
        shown(&wb).contains(
            "[playground] The share link could not be opened: the link is damaged (cannot inflate). Your saved session is opened instead."
        ),
        "{}",
        shown(&wb)
    );
    assert!(wb.set_aside.is_none());
    assert!(wb.text_to_keep().is_none());
    assert_eq!(read(&storage), before);
}

#[test]
fn a_link_too_large_is_called_too_large_not_damaged() {
    // A link that unpacks to more than the playground opens (zeros pack small).
    let zeros = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 2 << 20], 9);
    let huge = format!("v1.{}", crate::share::base64url_encode(&zeros));
    let wb = Workbench::open(
        Start::Link(huge, Ok(Stored::default())),
        START,
        Rc::new(Headless),
    );
    let text = shown(&wb);
    assert!(
        text.contains(
            "The share link could not be opened: the link is too large (it unpacks to more than"
        ),
        "{text}"
    );
    assert!(text.contains("Starting with a fresh cluster."));
    let long = format!("v1.{}", "A".repeat((1 << 20) + 1));
    let wb = Workbench::open(
        Start::Link(long, Ok(Stored::default())),
        START,
        Rc::new(Headless),
    );
    assert!(shown(&wb).contains("the link is too large (1048577 characters;"));
}

#[test]
fn an_import_keeps_the_session_it_replaces_among_the_recent_ones() {
    let storage = MemoryStorage::default();
    let mut wb = with_topic(&storage, "mine");
    let mut other = Workbench::new(START);
    other.apply(Action::Enter(format!(
        "kafka-topics.sh {BOOT} --create --topic imported"
    )));
    assert!(
        wb.apply(Action::Import(other.snapshot_text())).save,
        "the import is saved"
    );
    assert!(wb.playground.cluster.topic("imported").is_some());
    let aside = wb
        .set_aside
        .take()
        .expect("the replaced session is kept aside");
    let mine = crate::snapshot::parse(&aside.text).expect("a readable snapshot");
    assert!(mine.playground.cluster.topic("mine").is_some());
    assert!(shown(&wb).contains("The session it replaced is kept: Sessions lists it"));
    assert_eq!(
        save(&mut wb, &storage),
        Ok(()),
        "the same page goes on saving"
    );
}
