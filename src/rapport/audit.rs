//! The audit of a published report, as an attacker would make it: from
//! `indicateurs.csv` (every number the report publishes) and what any
//! reader knows (the QPV referential: which QPV lie in which commune,
//! which communes in which EPT), the linear system of each département
//! (`secret::systeme`, the one the suppression passes) and the masked
//! counts it gives away (`secret::audit`). Evolutions tie a count to the
//! same quarter a year before, which this report does not publish: they
//! add nothing here.

use std::collections::BTreeMap;
use std::path::Path;

use super::publie::LignePubliee;
use crate::erreur::{Erreur, Resultat};
use crate::modele::{mesures, niveaux, Periode, Referentiel, PUBLICS_DE};
use crate::secret::audit::{encadrer_parmi, failles, Faille};
use crate::secret::systeme::{structures, Chiffre, Publies, Structure, Systeme};

/// A masked count the report gives away.
#[derive(Debug, Clone, PartialEq)]
pub struct Divulgation {
    pub departement: String,
    pub niveau: String,
    pub code: String,
    /// The commune, for the part of an intercommunal QPV.
    pub commune: String,
    pub indicateur: String,
    pub faille: Faille,
}

/// The counts and shares of period `periode` (a quarter, or a year for
/// the missions locales), every département's (a département's system
/// takes the counts it holds), and the départements published with, for
/// each, its missions locales.
fn lire_publies(
    lignes: &[LignePubliee],
    periode: &str,
) -> (Publies, BTreeMap<String, Vec<String>>) {
    let mut p = Publies::default();
    let mut departements: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in lignes
        .iter()
        .filter(|l| l.periode == periode && l.dispositif.is_none())
    {
        if l.niveau == niveaux::DEPARTEMENT {
            departements.entry(l.code.clone()).or_default();
        }
        if let (true, Some(d)) = (l.niveau == niveaux::MISSION_LOCALE, &l.departement) {
            let structures = departements.entry(d.clone()).or_default();
            if !structures.contains(&l.code) {
                structures.push(l.code.clone());
            }
        }
        let secret = l.statut.as_deref() == Some("secret");
        let commune = l.code_commune.clone().unwrap_or_default();
        let cle = (
            l.niveau.clone(),
            l.code.clone(),
            commune,
            l.indicateur.clone(),
        );
        if l.mesure == mesures::EFFECTIF {
            let valeur = l.valeur;
            p.effectifs.insert(cle, Chiffre { valeur, secret });
        } else if let (true, Some(v)) = (l.mesure == mesures::PART, l.valeur) {
            p.parts.insert(cle, v);
        }
    }
    (p, departements)
}

/// The disclosures of a département's system `sys`.
fn divulgations(d: &str, sys: &Systeme, seuil: u32) -> Resultat<Vec<Divulgation>> {
    // Only the masked counts are bounded: an unpublished part or a figure
    // not available is an unknown, not a secret.
    let secretes: Vec<usize> = (0..sys.cles.len()).filter(|&i| sys.secret(i)).collect();
    let encadrements = encadrer_parmi(&sys.publie, &secretes).map_err(|e| Erreur::Interne {
        contexte: "audit du secret statistique",
        message: format!("département {d} : {e}"),
    })?;
    Ok(failles(&encadrements, seuil)
        .into_iter()
        .map(|f| {
            let case = match f {
                Faille::Epinglee { case, .. } | Faille::Resserree { case, .. } => case,
            };
            let (niveau, code, commune, indicateur) = sys.cles[case].clone();
            Divulgation {
                departement: d.to_string(),
                niveau,
                code,
                commune,
                indicateur,
                faille: f,
            }
        })
        .collect())
}

/// The disclosures of the report whose `indicateurs.csv` is `chemin`, for
/// quarter `periode` and threshold `seuil`, every département of it: its
/// job seekers of the quarter, its missions locales of the year.
pub fn auditer(
    chemin: &Path,
    referentiel: &Referentiel,
    periode: Periode,
    seuil: u32,
) -> Resultat<Vec<Divulgation>> {
    let lignes = super::publie::lire(chemin)?;
    let (publies, departements) = lire_publies(&lignes, &periode.to_string());
    let (ml, ml_departements) = lire_publies(&lignes, &periode.annee.to_string());
    let structures = structures(referentiel, periode)?;
    let publics: Vec<String> = PUBLICS_DE.iter().map(|p| p.to_string()).collect();
    let mut trouvees = Vec::new();
    let vide = Structure::default();
    for d in departements.keys() {
        let s = structures.get(d).unwrap_or(&vide);
        trouvees.extend(divulgations(
            d,
            &Systeme::new(d, s, &publics, &publies),
            seuil,
        )?);
    }
    for (d, structures_ml) in ml_departements.iter().filter(|(_, s)| !s.is_empty()) {
        let sys = Systeme::missions_locales(d, structures_ml, &ml);
        trouvees.extend(divulgations(d, &sys, seuil)?);
    }
    Ok(trouvees)
}

impl std::fmt::Display for Divulgation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let arrondi = |x: f64| crate::format::effectif(x.round());
        write!(
            f,
            "département {} : {} {}",
            self.departement, self.niveau, self.code
        )?;
        if !self.commune.is_empty() {
            write!(f, " dans la commune {}", self.commune)?;
        }
        write!(f, " ({}), masqué, ", self.indicateur)?;
        match self.faille {
            Faille::Epinglee { valeur, .. } => {
                write!(f, "se déduit des chiffres publiés : {}", arrondi(valeur))
            }
            Faille::Resserree { min, max, .. } => write!(
                f,
                "est encadré par les chiffres publiés entre {} et {}",
                arrondi(min),
                arrondi(max)
            ),
        }
    }
}
