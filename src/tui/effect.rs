//! What `App::update` asks the edge of the program to do. The loop runs
//! these (threads, files) and feeds their outcome back as actions; the
//! editing issue adds `Write` here.

/// Work with side effects, requested by the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open the project on a worker thread; its answer carries `generation`.
    Load { generation: u64 },
    /// Leave the loop and restore the terminal.
    Quit,
}
