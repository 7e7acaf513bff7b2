use clap::Parser;

fn main() {
    // Rust ignores SIGPIPE; a command piped into `head` should simply stop.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = baocao::cli::Cli::parse();
    let json = cli.global.json;
    baocao::i18n::set_lang(baocao::i18n::Lang::detect(cli.global.lang.as_deref()));
    if let Err(e) = baocao::cli::run(cli) {
        if json {
            let error = serde_json::json!({"error": {"code": e.code(), "message": e.to_string()}});
            eprintln!("{}", baocao::text::json_for_terminal(&error.to_string()));
        } else {
            eprintln!(
                "{}: {}",
                baocao::i18n::tr("Lỗi", "Error"),
                baocao::text::printable(&e.to_string(), true)
            );
        }
        baocao::cli::print_notes();
        std::process::exit(1);
    }
}
