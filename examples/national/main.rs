//! Writes synthetic national inputs for the benchmark (docs/performance.md):
//!
//! ```sh
//! cargo run --release --example national -- OUT [--departements N] [--qpv N] [--detail LIGNES] [--annee AAAA] [--sans-agrege]
//! ```

mod generateur;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dossier = None;
    let mut taille = generateur::Taille::default();
    while let Some(a) = args.next() {
        let mut nombre = |nom: &str| -> Option<u64> {
            let v = args.next().and_then(|v| v.replace('_', "").parse().ok());
            if v.is_none() {
                eprintln!("erreur : {nom} attend un nombre");
            }
            v
        };
        match a.as_str() {
            "--departements" => match nombre("--departements") {
                Some(n) => taille.departements = n as usize,
                None => return ExitCode::from(2),
            },
            "--qpv" => match nombre("--qpv") {
                Some(n) => taille.qpv = n as usize,
                None => return ExitCode::from(2),
            },
            "--detail" => match nombre("--detail") {
                Some(n) => taille.detail = n,
                None => return ExitCode::from(2),
            },
            "--annee" => match nombre("--annee") {
                Some(n) => taille.annee = n as i32,
                None => return ExitCode::from(2),
            },
            "--sans-agrege" => taille.agrege = false,
            _ if dossier.is_none() && !a.starts_with('-') => dossier = Some(PathBuf::from(a)),
            _ => {
                eprintln!("usage : national DOSSIER [--departements N] [--qpv N] [--detail LIGNES] [--annee AAAA] [--sans-agrege]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dossier) = dossier else {
        eprintln!("usage : national DOSSIER [--departements N] [--qpv N] [--detail LIGNES] [--annee AAAA] [--sans-agrege]");
        return ExitCode::from(2);
    };
    match generateur::generer(&dossier, &taille) {
        Ok((qpv, communes, deps)) => {
            eprintln!(
                "{} : {deps} départements, {qpv} QPV, {communes} communes avec QPV{}",
                dossier.display(),
                if taille.detail > 0 {
                    format!(", {} lignes de détail", taille.detail)
                } else {
                    String::new()
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("erreur : écriture dans {} : {e}", dossier.display());
            ExitCode::from(3)
        }
    }
}
