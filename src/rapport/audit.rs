//! The audit of a published report, as an attacker would make it: from
//! `indicateurs.csv` (every number the report publishes) and what any
//! reader knows (the QPV referential: which QPV lie in which commune,
//! which communes in which EPT), the linear system of each département
//! (`secret::systeme`, the one the suppression passes) and the masked
//! counts it gives away (`secret::audit`). Evolutions tie a count to the
//! same quarter a year before, which this report does not publish: they
//! add nothing here.

use std::collections::BTreeSet;
use std::path::Path;

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

/// The job-seeker counts and shares of quarter `periode`, every
/// département's (a département's system takes the counts it holds), and
/// the départements published.
fn lire_publies(chemin: &Path, periode: Periode) -> Resultat<(Publies, BTreeSet<String>)> {
    let mut p = Publies::default();
    let mut departements = BTreeSet::new();
    let periode = periode.to_string();
    for l in super::publie::lire(chemin)? {
        if l.periode != periode || l.dispositif.is_some() {
            continue;
        }
        if l.niveau == niveaux::DEPARTEMENT {
            departements.insert(l.code.clone());
        }
        let secret = l.statut.as_deref() == Some("secret");
        let cle = (
            l.niveau,
            l.code,
            l.code_commune.unwrap_or_default(),
            l.indicateur,
        );
        if l.mesure == mesures::EFFECTIF {
            let valeur = l.valeur;
            p.effectifs.insert(cle, Chiffre { valeur, secret });
        } else if let (true, Some(v)) = (l.mesure == mesures::PART, l.valeur) {
            p.parts.insert(cle, v);
        }
    }
    Ok((p, departements))
}

/// The disclosures of département `d`.
fn auditer_departement(
    d: &str,
    s: &Structure,
    publies: &Publies,
    seuil: u32,
) -> Resultat<Vec<Divulgation>> {
    let publics: Vec<String> = PUBLICS_DE.iter().map(|p| p.to_string()).collect();
    let sys = Systeme::new(d, s, &publics, publies);
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
/// quarter `periode` and threshold `seuil`, every département of it.
pub fn auditer(
    chemin: &Path,
    referentiel: &Referentiel,
    periode: Periode,
    seuil: u32,
) -> Resultat<Vec<Divulgation>> {
    let (publies, departements) = lire_publies(chemin, periode)?;
    let structures = structures(referentiel, periode)?;
    let mut divulgations = Vec::new();
    let vide = Structure::default();
    for d in &departements {
        let s = structures.get(d).unwrap_or(&vide);
        divulgations.extend(auditer_departement(d, s, &publies, seuil)?);
    }
    Ok(divulgations)
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
