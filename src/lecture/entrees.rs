//! Every input of a run read and checked at once: the typed tables of each
//! source, or all the problems of all the sources.

use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::{
    DemandeursEmploi, Dispositifs, Echeances, Financements, MissionsLocales, Referentiel,
    Structures,
};
use crate::reglages::FichiersEntree;

use super::valeurs::texte;
use super::{
    demandeurs, dispositifs, echeances, financements, missions_locales, referentiel, signaler,
    structures, TableBrute,
};
use std::path::Path;

use polars::prelude::*;

/// The inputs, read and checked.
pub struct Entrees {
    pub referentiel: Referentiel,
    pub demandeurs: DemandeursEmploi,
    /// Optional sources.
    pub missions_locales: Option<MissionsLocales>,
    pub financements: Option<Financements>,
    pub dispositifs: Option<Dispositifs>,
    pub echeances: Option<Echeances>,
    pub structures: Option<Structures>,
    pub tables: Vec<TableBrute>,
    /// Problems that do not stop the run (names that look like formulas).
    pub avertissements: Vec<Probleme>,
}

/// Keeps the data problems of one source so that those of the next ones
/// are found in the same run; any other error stops at once.
fn garder<T>(resultat: Resultat<T>, problemes: &mut Vec<Probleme>) -> Resultat<Option<T>> {
    match resultat {
        Ok(t) => Ok(Some(t)),
        Err(Erreur::Donnees(p)) => {
            problemes.extend(p);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Reads and checks every input of `e` (and the job-seekers' history
/// `historique` when it exists): all the problems of all the sources, or
/// the typed tables.
pub fn lire_entrees(e: &FichiersEntree, historique: Option<&Path>) -> Resultat<Entrees> {
    let mut problemes = Vec::new();
    let referentiel = garder(
        referentiel::lire(&e.referentiel, &e.compositions),
        &mut problemes,
    )?;
    let demandeurs = garder(
        demandeurs::lire(demandeurs::Sources {
            agreges: &e.demandeurs,
            details: &e.demandeurs_detail,
            dares: &e.dares,
            historique,
        }),
        &mut problemes,
    )?;
    let missions_locales = garder(
        missions_locales::lire(&e.missions_locales, &e.objectifs),
        &mut problemes,
    )?
    .flatten();
    let echeances = garder(echeances::lire(&e.echeances), &mut problemes)?.flatten();
    let enveloppes = garder(financements::lire_enveloppes(&e.enveloppes), &mut problemes)?;
    let (financements, dispositifs, structures) = match &referentiel {
        Some((r, _)) => (
            garder(financements::lire(&e.financements, r), &mut problemes)?.flatten(),
            garder(dispositifs::lire(&e.dispositifs, r), &mut problemes)?.flatten(),
            garder(structures::lire(&e.structures, r), &mut problemes)?.flatten(),
        ),
        None => (None, None, None),
    };
    match (referentiel, demandeurs) {
        (Some((referentiel, mut tables)), Some((demandeurs, tables_de)))
            if problemes.is_empty() =>
        {
            tables.extend(tables_de);
            let missions_locales = missions_locales.map(|(ml, t)| {
                tables.extend(t);
                ml
            });
            let financements = financements.map(|(mut f, t)| {
                tables.extend(t);
                if let Some((e, te)) = &enveloppes {
                    f.enveloppes = e.clone();
                    tables.extend(te.iter().cloned());
                }
                f
            });
            let dispositifs = dispositifs.map(|(d, t)| {
                tables.extend(t);
                d
            });
            let echeances = echeances.map(|(e, t)| {
                tables.extend(t);
                e
            });
            let structures = structures.map(|(s, t)| {
                tables.extend(t);
                s
            });
            Ok(Entrees {
                referentiel,
                demandeurs,
                missions_locales,
                financements,
                dispositifs,
                echeances,
                structures,
                avertissements: formules(&tables)?,
                tables,
            })
        }
        _ => Err(Erreur::Donnees(problemes)),
    }
}

/// The name columns a reader may see in a spreadsheet, where a text
/// beginning with `=`, `+`, `-` or `@` would be run as a formula.
const NOMS: [&str; 9] = [
    "nom_qpv",
    "nom_commune",
    "nom_ept",
    "nom_epci",
    "libelle",
    "nom_structure",
    "dispositif",
    "porteur",
    "intitule",
];

/// Names that look like spreadsheet formulas: said, and written with a
/// leading `'` in every CSV of the report (OWASP, CSV injection).
fn formules(tables: &[TableBrute]) -> PolarsResult<Vec<Probleme>> {
    let mut avertissements = Vec::new();
    for t in tables {
        for c in NOMS.iter().filter(|c| t.a(c)) {
            avertissements.extend(signaler(
                t,
                texte(c)
                    .str()
                    .contains(lit(r"^[=+\-@]"), false)
                    .fill_null(lit(false)),
                c,
                "texte qui ressemble à une formule de tableur",
                "un nom ; il est écrit précédé de « ' » dans les fichiers CSV du rapport",
            )?);
        }
    }
    Ok(avertissements)
}
