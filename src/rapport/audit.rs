//! The audit of a published report, as an attacker would make it: from
//! `indicateurs.csv` (every number the report publishes) and what any
//! reader knows (the QPV referential: which QPV lie in which commune,
//! which communes in which EPT), the linear system of each département
//! (`secret::systeme`, the one the suppression passes) and the masked
//! counts it gives away (`secret::audit`). Evolutions tie a count to the
//! quarter before and to the same quarter a year before: when those
//! quarters' reports are published too, they are read with this one.

use std::collections::BTreeMap;
use std::path::Path;

use super::publie::LignePubliee;
use crate::erreur::{Erreur, Resultat};
use crate::modele::departements::de_la_commune;
use crate::modele::{mesures, niveaux, Periode, Referentiel, DE_ABC, SUFFIXE_QPV};
use crate::secret::audit::{encadrer_parmi, failles, Faille, Publie};
use crate::secret::tables::{
    Cellule, Chiffre, Famille, Ligne, Publication, Structures, Systeme, Zone,
};

/// A masked count the report gives away.
#[derive(Debug, Clone, PartialEq)]
pub struct Divulgation {
    /// The quarter (or year) of the count.
    pub periode: String,
    pub departement: String,
    pub niveau: String,
    pub code: String,
    /// The commune, for the part of an intercommunal QPV.
    pub commune: String,
    pub indicateur: String,
    /// A count never published (a part outside QPV…), not a masked one.
    pub complement: bool,
    pub faille: Faille,
}

/// The count of the linked tables a published row is about.
fn cellule(l: &LignePubliee) -> Option<Cellule> {
    Cellule::de_la_ligne(&Ligne {
        periode: &l.periode,
        niveau: &l.niveau,
        code: &l.code,
        commune: l.code_commune.as_deref().unwrap_or(""),
        indicateur: &l.indicateur,
        categorie: l.categorie.as_deref().unwrap_or(""),
        dispositif: l.dispositif.as_deref(),
    })
}

/// The département a row belongs to: as written (reports from 2 December
/// 2026 on), else that of its territory.
fn departement(l: &LignePubliee) -> Option<String> {
    if let Some(d) = &l.departement {
        return Some(d.clone());
    }
    match l.niveau.as_str() {
        niveaux::DEPARTEMENT => Some(l.code.clone()),
        _ => {
            let commune = l.code_commune.as_deref().unwrap_or(&l.code);
            de_la_commune(commune).map(|d| d.code.to_string())
        }
    }
}

/// What each département publishes of its counts of people, period by
/// period (a quarter, or a year).
type Publications = BTreeMap<String, BTreeMap<String, Publication>>;

/// The counts, shares, objectives and achievement rates of `lignes`, by
/// département and period.
fn publications(lignes: &[LignePubliee]) -> Publications {
    let mut p = Publications::new();
    for l in lignes {
        let (Some(k), Some(d)) = (cellule(l), departement(l)) else {
            continue;
        };
        let publication = p
            .entry(d)
            .or_default()
            .entry(l.periode.clone())
            .or_default();
        let secret = l.statut.as_deref() == Some("secret");
        match (l.mesure.as_str(), l.valeur) {
            (mesures::EFFECTIF, valeur) => {
                publication.effectifs.insert(k, Chiffre { valeur, secret });
            }
            (mesures::PART, Some(v)) => {
                publication.parts.insert(k, v);
            }
            (mesures::OBJECTIF, Some(v)) => {
                publication.objectifs.insert(k, v);
            }
            (mesures::TAUX_REALISATION, Some(v)) => {
                publication.taux.insert(k, v);
            }
            _ => {}
        }
    }
    p
}

/// The linear problem of one département over one or several periods,
/// and what of it is bounded: the masked counts and the unpublished
/// complements.
struct SystemeJoint {
    publie: Publie,
    cles: Vec<Cellule>,
    a_borner: Vec<usize>,
}

impl SystemeJoint {
    fn new() -> Self {
        SystemeJoint {
            publie: Publie::default(),
            cles: Vec::new(),
            a_borner: Vec::new(),
        }
    }

    /// `sys` added; the index of its first count.
    fn ajouter(&mut self, sys: &Systeme) -> usize {
        let decalage = self.publie.joindre(&sys.publie);
        self.cles.extend(sys.cles.iter().cloned());
        // A figure not available is an unknown, not a secret; the
        // complements a reader can write are bounded like the masked counts.
        let a_borner = sys
            .secretes
            .iter()
            .chain(&sys.publie.libres)
            .map(|i| i + decalage);
        self.a_borner.extend(a_borner);
        decalage
    }

    /// The disclosures, for département `d`.
    fn divulgations(&self, d: &str, seuil: u32) -> Resultat<Vec<Divulgation>> {
        let encadrements =
            encadrer_parmi(&self.publie, &self.a_borner).map_err(|e| Erreur::Interne {
                contexte: "audit du secret statistique",
                message: format!("département {d} : {e}"),
            })?;
        Ok(failles(&encadrements, seuil)
            .into_iter()
            .map(|f| {
                let k = &self.cles[f.case()];
                Divulgation {
                    periode: k.periode.clone(),
                    departement: d.to_string(),
                    niveau: k.territoire.niveau.clone(),
                    code: k.territoire.code.clone(),
                    commune: k.territoire.commune.clone(),
                    indicateur: indicateur(k),
                    complement: self.publie.libres.contains(&f.case()),
                    faille: f,
                }
            })
            .collect())
    }
}

/// A count's indicator as `indicateurs.csv` names it (the part outside
/// QPV, never published, with `_hors_qpv`); a scheme's with the scheme and
/// its category.
fn indicateur(k: &Cellule) -> String {
    let suffixe = match k.zone {
        Zone::Tout => "",
        Zone::Qpv => SUFFIXE_QPV,
        Zone::HorsQpv => "_hors_qpv",
    };
    match k.famille {
        Famille::Demandeurs => {
            let base = if k.categorie.is_empty() {
                DE_ABC
            } else {
                &k.categorie
            };
            format!("{base}{suffixe}")
        }
        Famille::MissionsLocales => format!("{}{suffixe}", k.variable),
        Famille::Dispositifs => {
            let (dispositif, base) = k.variable.split_once('|').unwrap_or(("", &k.variable));
            let sorte = if k.categorie.is_empty() {
                dispositif.to_string()
            } else {
                format!("{dispositif}, {}", k.categorie)
            };
            format!("{base}{suffixe}, {sorte}")
        }
    }
}

/// A published report read back: its quarter and its rows.
pub struct RapportLu {
    pub periode: Periode,
    lignes: Vec<LignePubliee>,
}

impl RapportLu {
    /// The report of quarter `periode` whose `indicateurs.csv` is `chemin`.
    pub fn lire(chemin: &Path, periode: Periode) -> Resultat<RapportLu> {
        Ok(RapportLu {
            periode,
            lignes: super::publie::lire(chemin)?,
        })
    }

    /// The published evolution `mesure` of each count of the quarter.
    fn evolutions(&self, mesure: &str) -> BTreeMap<Cellule, f64> {
        let periode = self.periode.to_string();
        self.lignes
            .iter()
            .filter(|l| l.periode == periode && l.mesure == mesure)
            .filter_map(|l| Some((cellule(l)?, l.valeur?)))
            .collect()
    }
}

/// An earlier report read with this one, tied by the evolution `mesure`.
struct Anterieur {
    periode: String,
    publications: Publications,
    structures: Structures,
    evolutions: BTreeMap<Cellule, f64>,
}

/// The disclosures of `rapport`, read with the `precedents` reports
/// (those of the quarter before and of the same quarter a year before,
/// when published): for every département, every period's counts of
/// people on the linked tables (`secret::tables`), the quarter's tied to
/// the earlier quarters' by the evolutions it publishes
/// (`x(T) = (1 + évolution) × x(T − 1)`); threshold `seuil`.
pub fn auditer(
    rapport: &RapportLu,
    precedents: &[RapportLu],
    referentiel: &Referentiel,
    seuil: u32,
) -> Resultat<Vec<Divulgation>> {
    let periode = rapport.periode;
    let structures = Structures::new(referentiel, periode)?;
    let anterieurs = precedents
        .iter()
        .filter_map(|r| {
            let mesure = match periode.index() - r.periode.index() {
                1 => mesures::EVOLUTION_TRIMESTRIELLE,
                4 => mesures::EVOLUTION_ANNUELLE,
                _ => return None,
            };
            Some(Structures::new(referentiel, r.periode).map(|s| Anterieur {
                periode: r.periode.to_string(),
                publications: publications(&r.lignes),
                structures: s,
                evolutions: rapport.evolutions(mesure),
            }))
        })
        .collect::<polars::prelude::PolarsResult<Vec<_>>>()?;
    let trimestre = periode.to_string();
    let mut trouvees = Vec::new();
    for (d, par_periode) in publications(&rapport.lignes) {
        for (p, publication) in &par_periode {
            let vide = Default::default();
            let s = structures.de(&d, p).unwrap_or(&vide);
            let sys = Systeme::new(&d, s, publication);
            let mut probleme = SystemeJoint::new();
            probleme.ajouter(&sys);
            if *p == trimestre {
                for a in &anterieurs {
                    joindre_anterieur(&mut probleme, &sys, a, &d);
                }
            }
            trouvees.extend(probleme.divulgations(&d, seuil)?);
        }
    }
    Ok(trouvees)
}

/// The earlier report `a`'s system of département `d` joined to
/// `probleme`, each count of `sys` tied to its earlier value by its
/// published evolution.
fn joindre_anterieur(probleme: &mut SystemeJoint, sys: &Systeme, a: &Anterieur, d: &str) {
    let Some(publication) = a.publications.get(d).and_then(|p| p.get(&a.periode)) else {
        return;
    };
    let vide = Default::default();
    let s = a.structures.de(d, &a.periode).unwrap_or(&vide);
    let avant = Systeme::new(d, s, publication);
    let decalage = probleme.ajouter(&avant);
    for (i, k) in sys.cles.iter().enumerate() {
        let Some(e) = a.evolutions.get(k) else {
            continue;
        };
        let ancienne = Cellule {
            periode: a.periode.clone(),
            ..k.clone()
        };
        if let Some(j) = avant.indice(&ancienne) {
            let termes = vec![(i, 1.0), (decalage + j, -(1.0 + e))];
            probleme.publie.egalites.push((termes, 0.0));
        }
    }
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
        let sorte = if self.complement {
            "non publié"
        } else {
            "masqué"
        };
        write!(f, " ({}), {sorte}, ", self.indicateur)?;
        match self.faille {
            Faille::Epinglee { valeur, .. } => {
                write!(f, "se déduit des chiffres publiés : {}", arrondi(valeur))?
            }
            Faille::Resserree { min, max, .. } => write!(
                f,
                "est encadré par les chiffres publiés entre {} et {}",
                arrondi(min),
                arrondi(max)
            )?,
        }
        write!(f, " (période {})", self.periode)
    }
}
