//! `qpv-annexe`: parses the command line, resolves the settings once,
//! dispatches the command, prints the French error chain and exits with the
//! documented code ([`qpv_annexe::erreur::code_sortie`], `docs/operations.md`).

mod ligne_de_commande;

use std::process::ExitCode;

use clap::Parser;
use ligne_de_commande::{Commande, LigneDeCommande};
use qpv_annexe::erreur::code_sortie;
use qpv_annexe::reglages::Recherche;
use qpv_annexe::{execution, Reglages, Resultat};

fn main() -> ExitCode {
    let ligne = match LigneDeCommande::try_parse() {
        Ok(ligne) => ligne,
        // Help and version go to stdout with success.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::from(code_sortie::SUCCES);
        }
        Err(e) => {
            eprintln!("erreur : {}", ligne_de_commande::message_erreur(&e));
            return ExitCode::from(code_sortie::USAGE);
        }
    };
    match lancer(&ligne.commande) {
        Ok(()) => ExitCode::from(code_sortie::SUCCES),
        Err(e) => {
            for ligne in e.to_string().lines() {
                eprintln!("erreur : {ligne}");
            }
            ExitCode::from(e.code_sortie())
        }
    }
}

/// One command, on the settings resolved once.
fn lancer(commande: &Commande) -> Resultat<()> {
    let verbosite = commande.verbosite();
    let trouver = |r: &Recherche| match commande {
        Commande::Produire(_) | Commande::Valider(_) => {
            execution::periode_des_exports(r, verbosite)
        }
        Commande::Auditer(_) | Commande::Envoyer(_) => execution::periode_publiee(r, verbosite),
    };
    let reglages = Reglages::resoudre(&commande.options(), &trouver)?;
    match commande {
        Commande::Produire(_) => execution::produire(&reglages, verbosite).map(|_| ()),
        Commande::Valider(_) => execution::verifier(&reglages, verbosite),
        Commande::Auditer(_) => execution::auditer(&reglages, verbosite),
        Commande::Envoyer(a) => execution::envoyer(&reglages, a.options_envoi(), verbosite),
    }
}
