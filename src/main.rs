//! `qpv-annexe`: parse the command line, run, print the French error chain,
//! exit with the documented code (see `docs/operations.md`).

use clap::Parser;
use qpv_annexe::cli::Cli;
use qpv_annexe::error::code_sortie;

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to stdout with success.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            std::process::exit(code_sortie::SUCCES);
        }
        Err(e) => {
            eprintln!("erreur : {}", qpv_annexe::cli::message_erreur(&e));
            std::process::exit(code_sortie::USAGE);
        }
    };
    match qpv_annexe::pipeline::executer(&cli.commande) {
        Ok(()) => std::process::exit(code_sortie::SUCCES),
        Err(e) => {
            for ligne in e.to_string().lines() {
                eprintln!("erreur : {ligne}");
            }
            std::process::exit(e.code_sortie());
        }
    }
}
