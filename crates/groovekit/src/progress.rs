//! Progress bars on standard error, hidden when it is not a terminal or with `--quiet`.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where bars draw: standard error, or nowhere with `--quiet`.
fn target() -> ProgressDrawTarget {
    if crate::cmd::quiet() { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() }
}

/// A bar of `len` steps labelled `message`; invisible when stderr is not a terminal (so tests and
/// pipes see nothing).
pub fn bar(len: u64, message: &str) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(Some(len), target());
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(message.to_string());
    pb
}

/// A spinner with the elapsed time, for work whose length is not known in advance (a render);
/// it appears only after a second, so quick commands never flash one.
pub fn spinner(message: &str) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(None, target());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        pb.set_style(style);
    }
    pb.set_message(message.to_string());
    pb.enable_steady_tick(Duration::from_millis(1000));
    pb
}

/// A spinner for an operation that reports only when it is done (project operations: copying,
/// collecting, zipping): it shows after a second with the elapsed time, and goes away when the
/// returned guard is dropped (drop it before printing the result).
pub fn working(message: &str) -> Working {
    Working(spinner(message))
}

/// See [`working`].
pub struct Working(ProgressBar);

impl Drop for Working {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
