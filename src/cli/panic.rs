//! A test hook for the panic line: the hook itself is `main`'s (one line
//! on standard error naming where the bug is, never the panic's message,
//! which could hold a secret's text).

/// Test builds only: `ENVLENS_TEST_PANIC=1` panics with a message holding
/// every leaf's real text, the worst a bug could do, so that a test can
/// prove the hook prints none of it. Release builds have no such path.
///
/// # Panics
///
/// When `ENVLENS_TEST_PANIC` is set: that is its purpose.
#[cfg(debug_assertions)]
pub fn forced_for_tests(project: &crate::core::project::Project) {
    if std::env::var_os("ENVLENS_TEST_PANIC").is_none() {
        return;
    }
    let texts: Vec<String> = project
        .sets
        .iter()
        .flat_map(crate::core::project::LoadedSet::files)
        .flat_map(|f| &f.leaves)
        .map(|l| l.value.display_text())
        .collect();
    panic!("forced by ENVLENS_TEST_PANIC, holding {}", texts.join(" "));
}
