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

/// How long a spinner waits before it shows: 1 second, or `GROOVEKIT_PROGRESS_DELAY_MS`
/// milliseconds (the tests set 0 to see one at once, or a long delay to see none).
fn spinner_delay() -> Duration {
    let ms = std::env::var("GROOVEKIT_PROGRESS_DELAY_MS").ok().and_then(|v| v.trim().parse().ok());
    Duration::from_millis(ms.unwrap_or(1000))
}

/// A spinner with the elapsed time, for work whose length is not known in advance (a render);
/// it appears only after a second ([`spinner_delay`]), so quick commands never flash one.
/// (indicatif's steady tick draws at once, so the spinner starts hidden and a thread gives it
/// the terminal when the delay has passed and the work is not done.)
pub fn spinner(message: &str) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        pb.set_style(style);
    }
    pb.set_message(message.to_string());
    let delay = spinner_delay();
    // (With --quiet, target() is hidden: the spinner never shows.)
    if delay.is_zero() {
        // Drawn at once, in this thread, so that a test sees it however quick the work.
        pb.set_draw_target(target());
        pb.tick();
        pb.enable_steady_tick(Duration::from_millis(1000));
    } else {
        let weak = pb.downgrade();
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            if let Some(pb) = weak.upgrade()
                && !pb.is_finished()
            {
                pb.set_draw_target(target());
                pb.enable_steady_tick(Duration::from_millis(1000));
            }
        });
    }
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
