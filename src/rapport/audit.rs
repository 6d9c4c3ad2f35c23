//! The audit of a published report, as an attacker would make it: from
//! `indicateurs.csv` (every number the report publishes) and what any
//! reader knows (the QPV referential: which QPV lie in which commune,
//! which communes in which EPT), the linear system of each département
//! (`secret::systeme`, the one the suppression passes) and the masked
//! counts it gives away (`secret::audit`). Evolutions tie a count to the
//! quarter before and to the same quarter a year before: when those
//! quarters' reports are published too, they are read with this one.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::publie::LignePubliee;
use crate::erreur::{Erreur, Resultat};
use crate::modele::{mesures, niveaux, Periode, Referentiel};
use crate::secret::audit::{encadrer_parmi, failles, Faille, Publie};
use crate::secret::dispositifs::{ChiffreDispositif, SystemeDispositifs};
use crate::secret::systeme::{structures, Chiffre, Cle, Publies, Structure, Systeme};

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
    pub faille: Faille,
}

/// The key of the count a published row is about.
fn cle(l: &LignePubliee) -> Cle {
    let commune = l.code_commune.clone().unwrap_or_default();
    (
        l.niveau.clone(),
        l.code.clone(),
        commune,
        l.indicateur.clone(),
    )
}

/// The years of the missions locales a report publishes, latest first:
/// those of its `mission_locale` rows up to the quarter's year (each
/// département shows its latest, `indicateurs::missions_locales`).
fn annees_des_missions_locales(lignes: &[LignePubliee], periode: Periode) -> Vec<String> {
    let annees: std::collections::BTreeSet<i32> = lignes
        .iter()
        .filter(|l| l.niveau == niveaux::MISSION_LOCALE)
        .filter_map(|l| l.periode.parse::<i32>().ok())
        .filter(|an| *an <= periode.annee)
        .collect();
    annees.iter().rev().map(i32::to_string).collect()
}

/// Each département's missions locales of its latest year, audited.
fn auditer_missions_locales(
    lignes: &[LignePubliee],
    periode: Periode,
    seuil: u32,
) -> Resultat<Vec<Divulgation>> {
    let mut trouvees = Vec::new();
    let mut vus = std::collections::BTreeSet::new();
    for annee in annees_des_missions_locales(lignes, periode) {
        let (ml, departements) = lire_publies(lignes, &annee);
        for (d, structures) in departements.iter().filter(|(_, s)| !s.is_empty()) {
            if !vus.insert(d.clone()) {
                continue;
            }
            let mut probleme = SystemeJoint::new();
            probleme.ajouter(&annee, &Systeme::missions_locales(d, structures, &ml));
            trouvees.extend(probleme.divulgations(d, seuil)?);
        }
    }
    Ok(trouvees)
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
        let cle = cle(l);
        if l.mesure == mesures::EFFECTIF {
            let valeur = l.valeur;
            p.effectifs.insert(cle, Chiffre { valeur, secret });
        } else if let (true, Some(v)) = (l.mesure == mesures::PART, l.valeur) {
            p.parts.insert(cle, v);
        }
    }
    (p, departements)
}

/// The linear problem of one département over one or several quarters:
/// the counts' keys with their quarter, and which are masked.
struct SystemeJoint {
    publie: Publie,
    cles: Vec<(String, Cle)>,
    secretes: Vec<usize>,
}

impl SystemeJoint {
    fn new() -> Self {
        SystemeJoint {
            publie: Publie::default(),
            cles: Vec::new(),
            secretes: Vec::new(),
        }
    }

    /// `sys`, of quarter (or year) `periode`, added; the index of its
    /// first count.
    fn ajouter(&mut self, periode: &str, sys: &Systeme) -> usize {
        let decalage = self.publie.joindre(&sys.publie);
        self.cles
            .extend(sys.cles.iter().map(|c| (periode.to_string(), c.clone())));
        // Only the masked counts are bounded: an unpublished part or a
        // figure not available is an unknown, not a secret.
        self.secretes.extend(
            (0..sys.cles.len())
                .filter(|&i| sys.secret(i))
                .map(|i| i + decalage),
        );
        decalage
    }

    /// The disclosures, for département `d`.
    fn divulgations(&self, d: &str, seuil: u32) -> Resultat<Vec<Divulgation>> {
        let encadrements =
            encadrer_parmi(&self.publie, &self.secretes).map_err(|e| Erreur::Interne {
                contexte: "audit du secret statistique",
                message: format!("département {d} : {e}"),
            })?;
        Ok(failles(&encadrements, seuil)
            .into_iter()
            .map(|f| {
                let (periode, (niveau, code, commune, indicateur)) = self.cles[f.case()].clone();
                Divulgation {
                    periode,
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
    fn evolutions(&self, mesure: &str) -> HashMap<Cle, f64> {
        let periode = self.periode.to_string();
        self.lignes
            .iter()
            .filter(|l| l.periode == periode && l.mesure == mesure && l.dispositif.is_none())
            .filter_map(|l| Some((cle(l), l.valeur?)))
            .collect()
    }
}

/// The disclosures of `rapport`, read with the `precedents` reports
/// (those of the quarter before and of the same quarter a year before,
/// when published): every département of it, its job seekers of the
/// quarter tied to the earlier quarters' by the evolutions it publishes
/// (`x(T) = (1 + évolution) × x(T − 1)`), its missions locales of the
/// year; threshold `seuil`.
pub fn auditer(
    rapport: &RapportLu,
    precedents: &[RapportLu],
    referentiel: &Referentiel,
    seuil: u32,
) -> Resultat<Vec<Divulgation>> {
    let periode = rapport.periode;
    let (publies, departements) = lire_publies(&rapport.lignes, &periode.to_string());
    let structure = structures(referentiel, periode)?;
    let anterieurs = precedents
        .iter()
        .filter_map(|r| {
            let mesure = match periode.index() - r.periode.index() {
                1 => mesures::EVOLUTION_TRIMESTRIELLE,
                4 => mesures::EVOLUTION_ANNUELLE,
                _ => return None,
            };
            let (p, _) = lire_publies(&r.lignes, &r.periode.to_string());
            Some(
                structures(referentiel, r.periode)
                    .map_err(Erreur::from)
                    .map(|s| (r, p, s, rapport.evolutions(mesure))),
            )
        })
        .collect::<Resultat<Vec<_>>>()?;
    let mut trouvees = Vec::new();
    let vide = Structure::default();
    for d in departements.keys() {
        let sys = Systeme::new(d, structure.get(d).unwrap_or(&vide), &publies);
        let mut probleme = SystemeJoint::new();
        probleme.ajouter(&periode.to_string(), &sys);
        for (r, p, s, evolutions) in &anterieurs {
            let avant = Systeme::new(d, s.get(d).unwrap_or(&vide), p);
            let decalage = probleme.ajouter(&r.periode.to_string(), &avant);
            for (i, cle) in sys.cles.iter().enumerate() {
                if let (Some(e), Some(j)) = (evolutions.get(cle), avant.indice(cle)) {
                    let termes = vec![(i, 1.0), (decalage + j, -(1.0 + e))];
                    probleme.publie.egalites.push((termes, 0.0));
                }
            }
        }
        trouvees.extend(probleme.divulgations(d, seuil)?);
    }
    trouvees.extend(auditer_missions_locales(&rapport.lignes, periode, seuil)?);
    trouvees.extend(auditer_dispositifs(&rapport.lignes, seuil)?);
    Ok(trouvees)
}

/// The schemes' counts of people of each département, every period the
/// report publishes (`secret::dispositifs`).
fn auditer_dispositifs(lignes: &[LignePubliee], seuil: u32) -> Resultat<Vec<Divulgation>> {
    let mesures_de_personnes = [
        mesures::EFFECTIF,
        mesures::PART,
        mesures::OBJECTIF,
        mesures::TAUX_REALISATION,
    ];
    let mut par_departement: BTreeMap<&str, Vec<ChiffreDispositif>> = BTreeMap::new();
    for l in lignes {
        let (Some(d), Some(dispositif)) = (&l.departement, &l.dispositif) else {
            continue;
        };
        if !mesures_de_personnes.contains(&l.mesure.as_str()) {
            continue;
        }
        par_departement
            .entry(d)
            .or_default()
            .push(ChiffreDispositif {
                periode: l.periode.clone(),
                niveau: l.niveau.clone(),
                code: l.code.clone(),
                dispositif: dispositif.clone(),
                indicateur: l.indicateur.clone(),
                categorie: l.categorie.clone().unwrap_or_default(),
                mesure: l.mesure.clone(),
                valeur: l.valeur,
                secret: l.statut.as_deref() == Some("secret"),
            });
    }
    let mut trouvees = Vec::new();
    for (d, chiffres) in par_departement {
        let sys = SystemeDispositifs::new(&chiffres);
        let encadrements =
            encadrer_parmi(&sys.publie, &sys.secretes).map_err(|e| Erreur::Interne {
                contexte: "audit du secret statistique des dispositifs",
                message: format!("département {d} : {e}"),
            })?;
        trouvees.extend(failles(&encadrements, seuil).into_iter().map(|f| {
            let (periode, niveau, code, dispositif, indicateur, categorie) =
                sys.cles[f.case()].clone();
            let sorte = if categorie.is_empty() {
                dispositif
            } else {
                format!("{dispositif}, {categorie}")
            };
            Divulgation {
                periode,
                departement: d.to_string(),
                niveau,
                code,
                commune: String::new(),
                indicateur: format!("{indicateur}, {sorte}"),
                faille: f,
            }
        }));
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
