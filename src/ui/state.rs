//! The page's handle on the session: one reducer applies every [`Action`] through
//! `session::Workbench::apply`; the workbench is changed in place behind an `Rc`, and the
//! version number tells Yew that something changed. Components read the workbench; only the
//! reducer changes it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

pub use crate::session::{Action, LessonAction, Line, LineKind, MAX_TABS, Workbench};
use crate::widget_group::Message;

#[derive(Clone)]
pub struct WorkbenchState {
    pub workbench: Rc<RefCell<Workbench>>,
    pub version: u64,
    /// The session should be written to storage: the App's effect does it after drawing, and
    /// clears this. Shared by every state of the reducer, since Yew draws only the last of the
    /// actions dispatched before a render: a save asked for by an earlier one is not lost.
    pub save: Rc<Cell<bool>>,
    /// Messages for the other widgets of this one's group: the App's effect posts them after
    /// drawing and empties this (shared by every state, as `save` is).
    pub outgoing: Rc<RefCell<Vec<Message>>>,
}

impl PartialEq for WorkbenchState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.workbench, &other.workbench) && self.version == other.version
    }
}

impl WorkbenchState {
    pub fn new(mut workbench: Workbench) -> Self {
        let save = workbench.request_save();
        WorkbenchState {
            workbench: Rc::new(RefCell::new(workbench)),
            version: 0,
            save: Rc::new(Cell::new(save)),
            outgoing: Rc::default(),
        }
    }
}

impl Reducible for WorkbenchState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let applied = self.workbench.borrow_mut().apply(action);
        if !applied.changed && !applied.save && applied.outgoing.is_empty() {
            return self;
        }
        if applied.save {
            self.save.set(true);
        }
        self.outgoing.borrow_mut().extend(applied.outgoing);
        Rc::new(WorkbenchState {
            workbench: self.workbench.clone(),
            version: self.version + 1,
            save: self.save.clone(),
            outgoing: self.outgoing.clone(),
        })
    }
}

pub type WorkbenchContext = UseReducerHandle<WorkbenchState>;

/// The workbench from the nearest provider (`App`).
#[hook]
pub fn use_workbench() -> WorkbenchContext {
    use_context::<WorkbenchContext>().expect("components are rendered inside App")
}
