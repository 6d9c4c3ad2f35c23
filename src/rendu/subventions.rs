//! The funding dossiers granted, as the open-data portals take them: the
//! SCDL "subventions" schema, version 2.1.1 (schema.data.gouv.fr,
//! `scdl/subventions`): comma-separated UTF-8, its sixteen columns in their
//! order, dates `AAAA-MM-JJ`, decimal point.
//!
//! A row is a subsidy granted: a dossier `retenu`, not a loan, with its
//! amount, its beneficiary, its decision date (the convention's date) and
//! its payment date or period. A dossier lacking one of these cannot make a
//! valid row: it is left out and counted.

use std::path::Path;

use super::csv::neutraliser_texte as neutraliser;
use crate::erreur::{Erreur, Resultat};
use crate::indicateurs::financements::Dossier;
use crate::reglages::DonneesOuvertes;

/// The schema's columns, in its order.
pub const COLONNES: [&str; 16] = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
];

/// The schema's limit on `objet`.
const OBJET_MAX: usize = 255;

/// What was written: rows, and granted subsidies left out for lack of a
/// field the schema requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bilan {
    pub ecrits: usize,
    pub incomplets: usize,
}

/// Whether a dossier is a subsidy granted (the file's subject).
fn est_subvention_accordee(d: &Dossier) -> bool {
    d.statut == "retenu" && d.nature != "pret"
}

/// Writes the granted subsidies of `dossiers` to `chemin`.
pub fn ecrire(
    dossiers: &[Dossier],
    attribuant: &DonneesOuvertes,
    chemin: &Path,
) -> Resultat<Bilan> {
    let erreur = |e: csv::Error| Erreur::acces(chemin, "écriture")(e.into());
    let mut sortie = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_path(chemin)
        .map_err(erreur)?;
    sortie.write_record(COLONNES).map_err(erreur)?;
    let mut bilan = Bilan::default();
    for d in dossiers.iter().filter(|d| est_subvention_accordee(d)) {
        match ligne(d, attribuant) {
            Some(l) => {
                sortie.write_record(&l).map_err(erreur)?;
                bilan.ecrits += 1;
            }
            None => bilan.incomplets += 1,
        }
    }
    sortie.flush().map_err(Erreur::acces(chemin, "écriture"))?;
    Ok(bilan)
}

/// A dossier's row, `None` when a required field is unknown.
fn ligne(d: &Dossier, a: &DonneesOuvertes) -> Option<[String; 16]> {
    let montant = d.montant?;
    let date = date_iso(d.date_decision?);
    if d.porteur.is_empty() || d.dates_versement.is_empty() {
        return None;
    }
    let objet = if d.intitule.is_empty() {
        &d.dispositif
    } else {
        &d.intitule
    };
    let conditions = if d.dates_versement.contains('/') {
        "échelonné"
    } else {
        "unique"
    };
    Some([
        neutraliser(&a.attribuant),
        a.siret_attribuant.clone(),
        date,
        neutraliser(&d.reference_decision),
        neutraliser(&d.porteur),
        d.siret.clone(),
        String::new(),
        neutraliser(&objet.chars().take(OBJET_MAX).collect::<String>()),
        format!("{montant:.2}"),
        "aide en numéraire".to_string(),
        conditions.to_string(),
        d.dates_versement.clone(),
        String::new(),
        if a.notification_ue { "oui" } else { "non" }.to_string(),
        "1.00".to_string(),
        String::new(),
    ])
}

/// `20201215` as `2020-12-15`.
fn date_iso(aaaammjj: i32) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        aaaammjj / 10_000,
        aaaammjj / 100 % 100,
        aaaammjj % 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn une_date_aaaammjj_s_ecrit_a_l_iso() {
        assert_eq!(date_iso(20201215), "2020-12-15");
        assert_eq!(date_iso(20210103), "2021-01-03");
    }

    #[test]
    fn une_formule_devient_du_texte() {
        assert_eq!(neutraliser("=1+1"), "'=1+1");
        assert_eq!(neutraliser("Ville de Nanterre"), "Ville de Nanterre");
    }
}
