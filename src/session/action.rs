//! Everything a face can ask of the session, as values: the browser's reducer, widgets and the
//! JavaScript API send these to [`super::Workbench::apply`].

/// What the lesson panel can ask.
pub enum LessonAction {
    /// Open the catalog or hide the panel.
    Toggle,
    /// Start the built-in lesson with this id (fetched first if this page has not yet).
    Start(String),
    /// A built-in lesson's file arrived, or could not be fetched (`lesson_fetch`).
    Fetched {
        id: String,
        attempt: u32,
        result: Result<String, String>,
    },
    /// Try a failed lesson fetch again.
    Retry,
    /// A lesson file opened from disk (its name is used in error messages).
    OpenFile {
        name: String,
        text: String,
    },
    /// What a page address asked for: a lesson in the link, a lesson or course to fetch.
    Link(crate::lesson::link::LinkRequest),
    /// A file a link asked for arrived, or could not be fetched (`link_to_fetch`).
    LinkFetched {
        attempt: u32,
        result: Result<String, String>,
    },
    /// Open lesson `n` of the course.
    OpenCourseLesson(usize),
    /// Leave the lesson (the cluster stays as it is).
    Close,
    /// Start the lesson again on a fresh cluster.
    Reset,
    GoTo(usize),
    Hint,
    ShowSolution,
    RunSolution,
}

/// Everything the page can ask of the workbench.
pub enum Action {
    /// A command clicked in a lesson's text.
    RunCommand(String),
    /// A command from the JavaScript API, run as if typed; what it printed is kept in
    /// `Workbench::last_output` for the caller.
    ApiRun(String),
    /// A session file chosen for import.
    Import(String),
    /// Make a share link.
    Share,
    /// Nothing changed in the session, but the page should draw again.
    Refresh,
    /// A message from another widget of the same shared cluster (checked by `widget_group`).
    Group(crate::widget_group::Message),
    /// In a widget showing another's cluster: the host page's `run` request number `id`, for
    /// the owner to run.
    HostRun {
        id: u32,
        text: String,
    },
    /// In such a widget: the owner has not answered for a long while (say so, once).
    GroupWaiting,
    /// Tab found several completions for this line: list them, as bash does.
    ShowCompletions(String, Vec<String>),
    Lesson(LessonAction),
    /// Enter pressed on a line.
    Enter(String),
    /// Several lines pasted: each runs in turn, as if typed.
    Paste(String),
    /// A button ran a `playground …` command (broker stop/start, clock).
    Control(String),
    /// Ctrl+C
    Interrupt,
    /// Ctrl+D
    EndOfInput,
    /// A script's end (kplay): what it left open runs, its background jobs finish.
    EndOfScript,
    /// Ctrl+L
    Clear,
    /// Time passed (wall-clock milliseconds now).
    Tick(f64),
    /// Open another terminal tab.
    NewTab,
    /// Switch to tab `n` (index).
    SelectTab(usize),
    /// Close tab `n` (index), stopping what runs in it.
    CloseTab(usize),
    /// The saved session arrived from storage after the page started (a store that answers
    /// later): it replaces the fresh one, unless something was typed meanwhile.
    Restored(Result<super::Stored, String>),
    /// Storage did not keep the last save (refused, or it holds newer work).
    SaveFailed(super::SaveError),
    /// Whether this page writes the saved session changed (another tab holds or took the
    /// writer's lease).
    Lease(super::Lease),
}

impl Action {
    /// Whether this is a reader's change to the cluster or the terminals, which a read-only
    /// widget refuses (the host page's own requests and the clock still run).
    pub fn changes_as_reader(&self) -> bool {
        matches!(
            self,
            Action::Enter(_)
                | Action::Paste(_)
                | Action::Control(_)
                | Action::RunCommand(_)
                | Action::Import(_)
                | Action::NewTab
                | Action::CloseTab(_)
                | Action::Interrupt
                | Action::EndOfInput
                | Action::Lesson(
                    LessonAction::Start(_)
                        | LessonAction::OpenFile { .. }
                        | LessonAction::Reset
                        | LessonAction::RunSolution
                )
        )
    }
}
