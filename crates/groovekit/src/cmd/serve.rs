//! `groovekit serve`: starts the local web view of `groovekit-serve` and prints its URL. Thin:
//! the routes, pages, API and security checks are in the `groovekit-serve` library.

use std::net::IpAddr;
use std::path::PathBuf;

use miette::miette;

use crate::cmd::Outcome;

/// `groovekit serve` arguments.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  groovekit serve MYSET\n  groovekit serve MYSET ~/opz/projects --port 8025 --open\n  \
                        groovekit serve MYSET --allow-edits"
)]
pub struct ServeArgs {
    /// Sets, projects or folders of files to serve (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Port on 127.0.0.1 (default: any free port; the URL is printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Open the URL in the default browser.
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

/// Opens `url` with the platform's opener; a failure is only a warning (the URL is printed).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(opener.0).args(&opener.1).spawn()
        && !crate::cmd::quiet()
    {
        eprintln!("warning: could not open a browser ({e}); open {url} yourself");
    }
}
