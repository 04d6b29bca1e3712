//! `groovekit serve`: starts the local web view of `groovekit-serve` and prints its URL. Thin:
//! the routes, pages, API and security checks are in the `groovekit-serve` library.

use std::net::IpAddr;
use std::path::PathBuf;

use miette::miette;

use crate::cmd::Outcome;

/// `groovekit serve` arguments.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  groovekit serve MYSET\n  groovekit serve MYSET projects --port 8025 --open\n  \
                        groovekit serve MYSET --allow-edits")]
pub struct ServeArgs {
    /// Sets, projects or folders of files to serve (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Port on 127.0.0.1 (default: any free port; the URL is printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Open the URL in the default browser (`$BROWSER` when set).
    #[arg(long)]
    pub open: bool,
    /// Allow edits from the browser (copy bank/pattern/part/track/slots, purge, collect, relink,
    /// restore): each shows its plan first; every edit keeps a backup.
    #[arg(long)]
    pub allow_edits: bool,
    /// Address to bind. Anything but a loopback address also needs --expose-to-network.
    #[arg(long, default_value = "127.0.0.1")]
    pub address: IpAddr,
    /// Allow a non-loopback --address: every machine that can reach it sees the served folders
    /// (and, with --allow-edits, can change them with the page's token).
    #[arg(long)]
    pub expose_to_network: bool,
}

/// Runs the server until interrupted.
pub fn run(args: ServeArgs) -> miette::Result<Outcome> {
    let roots = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths };
    let config = groovekit_serve::Config {
        roots,
        address: args.address,
        port: args.port,
        expose: args.expose_to_network,
        allow_edits: args.allow_edits,
    };
    let server = groovekit_serve::Server::bind(&config).map_err(|e| match e {
        groovekit_serve::ServeError::NotLoopback(_) => crate::cmd::args::usage(e.to_string()),
        other => miette!("{other}"),
    })?;
    let url = server.url();
    println!("{url}");
    if !crate::cmd::quiet() {
        eprintln!(
            "serving {} ({}); press Ctrl-C to stop",
            args::count(config.roots.len(), "folder"),
            if config.allow_edits { "edits allowed" } else { "read-only" }
        );
    }
    if args.open {
        open_browser(&url);
    }
    server.run();
    Ok(Outcome::Ok)
}

use crate::cmd::args;

/// The browser command of `$BROWSER` for `url`, as other tools read it (Python's `webbrowser`,
/// `xdg-open` outside a desktop): the first of its `:`-separated commands, split at spaces, with
/// `%s` replaced by the URL or the URL added at the end. None when unset or empty.
fn browser_from_env(browser: Option<&str>, url: &str) -> Option<(String, Vec<String>)> {
    let first = browser?.split(':').map(str::trim).find(|c| !c.is_empty())?;
    let mut words = first.split_whitespace().map(str::to_string);
    let program = words.next()?;
    let mut args: Vec<String> = words.collect();
    if args.iter().any(|a| a.contains("%s")) {
        args = args.into_iter().map(|a| a.replace("%s", url)).collect();
    } else {
        args.push(url.to_string());
    }
    Some((program, args))
}

/// Opens `url` with `$BROWSER` when set (so a test, or a user, chooses what runs), else the
/// platform's opener; a failure is only a warning (the URL is printed).
fn open_browser(url: &str) {
    let from_env = browser_from_env(std::env::var("BROWSER").ok().as_deref(), url);
    let (program, args) = from_env.unwrap_or_else(|| {
        let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
            ("open", vec![url])
        } else if cfg!(windows) {
            ("cmd", vec!["/C", "start", "", url])
        } else {
            ("xdg-open", vec![url])
        };
        (program.to_string(), args.into_iter().map(String::from).collect())
    });
    if let Err(e) = std::process::Command::new(&program).args(&args).spawn()
        && !crate::cmd::quiet()
    {
        eprintln!("warning: could not open a browser with {program} ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::browser_from_env;

    #[test]
    fn browser_comes_from_the_environment_as_other_tools_read_it() {
        let url = "http://127.0.0.1:1/";
        assert_eq!(browser_from_env(None, url), None);
        assert_eq!(browser_from_env(Some(""), url), None);
        assert_eq!(browser_from_env(Some("true"), url), Some(("true".into(), vec![url.into()])));
        assert_eq!(
            browser_from_env(Some("firefox --new-tab %s:lynx"), url),
            Some(("firefox".into(), vec!["--new-tab".into(), url.into()]))
        );
    }
}
