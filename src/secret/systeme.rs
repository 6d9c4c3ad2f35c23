//! The linear system of what a département publishes for one quarter, as
//! any reader can write it: the unknowns are its masked (or unpublished)
//! counts, the relations are those of the referential's structure. Built
//! alike by the suppression (`indicateurs::protection`, before anything is
//! written) and by the audit of a published report (`rapport::audit`):
//! what passes one passes the other.
//!
//! Relations, for each public: a territory's count "in QPV" is the sum of
//! its QPV (the part of an intercommunal QPV in a commune being a count of
//! its own, published or not, the parts adding up to the QPV); a public is
//! within its total, a count in QPV within the territory's; a published
//! share ties its numerator to its denominator.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::audit::Publie;
use crate::modele::departements::de_la_commune;
use crate::modele::{
    niveaux, textes, Periode, Referentiel, DE_ABC, INDICATEURS_ML, PUBLICS_DE, SUFFIXE_QPV,
};

/// A count's key: level, code, commune (for the part of an intercommunal
/// QPV in one of its communes; empty otherwise), indicator.
pub type Cle = (String, String, String, String);

/// The key of a count of a territory.
pub fn cle(niveau: &str, code: &str, indicateur: &str) -> Cle {
    (
        niveau.to_string(),
        code.to_string(),
        String::new(),
        indicateur.to_string(),
    )
}

/// The key of the part of QPV `qpv` in commune `commune`.
pub fn cle_partie(qpv: &str, commune: &str, indicateur: &str) -> Cle {
    (
        niveaux::QPV.to_string(),
        qpv.to_string(),
        commune.to_string(),
        indicateur.to_string(),
    )
}

/// A published count: its value, or `None` with whether it is secret.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chiffre {
    pub valeur: Option<f64>,
    pub secret: bool,
}

/// What a département publishes for one quarter: its counts, and its
/// shares (by the key of their numerator's row).
#[derive(Debug, Clone, Default)]
pub struct Publies {
    pub effectifs: HashMap<Cle, Chiffre>,
    pub parts: HashMap<Cle, f64>,
}

/// What any reader knows of a département: its QPV with their communes,
/// each commune's EPT.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub qpv: BTreeMap<String, Vec<String>>,
    pub ept: BTreeMap<String, String>,
}

/// The structure of every département of the referential, for the QPV
/// of `periode`'s generation. A QPV on two départements is in both.
pub fn structures(
    referentiel: &Referentiel,
    periode: Periode,
) -> polars::prelude::PolarsResult<BTreeMap<String, Structure>> {
    let r = &referentiel.lignes;
    let (qpv, communes) = (textes(r, "code_qpv")?, textes(r, "code_commune")?);
    let epts = textes(r, "code_ept")?;
    let prefixe = periode.generation().prefixe();
    let mut communes_du_qpv: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (q, c) in qpv.iter().zip(&communes) {
        if q.starts_with(prefixe) {
            let liste = communes_du_qpv.entry(q).or_default();
            if !liste.contains(c) {
                liste.push(c.clone());
            }
        }
    }
    let mut structures: BTreeMap<String, Structure> = BTreeMap::new();
    for (q, liste) in &communes_du_qpv {
        let deps: BTreeSet<&str> = liste
            .iter()
            .filter_map(|c| de_la_commune(c).map(|d| d.code))
            .collect();
        for d in deps {
            let s = structures.entry(d.to_string()).or_default();
            s.qpv.insert(q.to_string(), liste.clone());
        }
    }
    for (c, e) in communes.iter().zip(&epts) {
        if let (Some(d), false) = (de_la_commune(c), e.is_empty()) {
            if let Some(s) = structures.get_mut(d.code) {
                s.ept.insert(c.clone(), e.clone());
            }
        }
    }
    Ok(structures)
}

/// The linear system of one département: its counts (published, masked,
/// or unpublished) and their relations.
pub struct Systeme<'a> {
    pub publie: Publie,
    /// The key of each count of `publie`.
    pub cles: Vec<Cle>,
    index: HashMap<Cle, usize>,
    publies: &'a Publies,
}

impl<'a> Systeme<'a> {
    /// No count yet, over the published figures `publies`.
    fn vide(publies: &'a Publies) -> Self {
        Systeme {
            publie: Publie::default(),
            cles: Vec::new(),
            index: HashMap::new(),
            publies,
        }
    }

    /// The job seekers of département `d` of structure `s`, every public.
    pub fn new(d: &str, s: &Structure, publies: &'a Publies) -> Self {
        let mut sys = Systeme::vide(publies);
        for p in PUBLICS_DE {
            sys.relations_du_public(d, s, p);
        }
        sys
    }

    /// The missions locales of département `d` for one year, whose
    /// structures are `structures` (codes): each indicator's département
    /// figure is the sum of its structures', the count in QPV within its
    /// total.
    pub fn missions_locales(d: &str, structures: &[String], publies: &'a Publies) -> Self {
        let mut sys = Systeme::vide(publies);
        for i in INDICATEURS_ML {
            let iq = format!("{i}{SUFFIXE_QPV}");
            for ind in [i, iq.as_str()] {
                let total = sys.territoire(niveaux::DEPARTEMENT, d, ind);
                let parties: Vec<usize> = structures
                    .iter()
                    .map(|s| sys.territoire(niveaux::MISSION_LOCALE, s, ind))
                    .collect();
                sys.publie.somme(total, &parties);
            }
            for (niveau, code) in std::iter::once((niveaux::DEPARTEMENT, d)).chain(
                structures
                    .iter()
                    .map(|s| (niveaux::MISSION_LOCALE, s.as_str())),
            ) {
                let (x, x_qpv) = (
                    sys.territoire(niveau, code, i),
                    sys.territoire(niveau, code, &iq),
                );
                sys.publie.au_plus(x_qpv, x);
            }
        }
        sys
    }

    /// The index of the count of `cle`, when the system holds it.
    pub fn indice(&self, cle: &Cle) -> Option<usize> {
        self.index.get(cle).copied()
    }

    /// Whether count `i` is published as secret.
    pub fn secret(&self, i: usize) -> bool {
        self.publies
            .effectifs
            .get(&self.cles[i])
            .is_some_and(|c| c.secret)
    }

    /// The count of key `cle`: its published value, else an unknown.
    fn case(&mut self, cle: Cle) -> usize {
        if let Some(&i) = self.index.get(&cle) {
            return i;
        }
        let valeur = self.publies.effectifs.get(&cle).and_then(|c| c.valeur);
        let i = self.publie.case(valeur);
        self.cles.push(cle.clone());
        self.index.insert(cle, i);
        i
    }

    fn territoire(&mut self, niveau: &str, code: &str, indicateur: &str) -> usize {
        self.case(cle(niveau, code, indicateur))
    }

    /// `numerateur = part × denominateur` where the share of `cle` is
    /// published.
    fn part(&mut self, cle: Cle, numerateur: usize, denominateur: usize) {
        if let Some(&p) = self.publies.parts.get(&cle) {
            self.publie.part(numerateur, denominateur, p);
        }
    }

    /// The relations of one public `p` in département `d`.
    fn relations_du_public(&mut self, d: &str, s: &Structure, p: &str) {
        let pq = format!("{p}{SUFFIXE_QPV}");
        let dep = self.territoire(niveaux::DEPARTEMENT, d, &pq);
        let qpv: Vec<usize> = s
            .qpv
            .keys()
            .map(|q| self.territoire(niveaux::QPV, q, p))
            .collect();
        self.publie.somme(dep, &qpv);
        // What each QPV puts in each of its communes.
        let mut contributions: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for ((q, communes), &case_q) in s.qpv.iter().zip(&qpv) {
            if let [seule] = communes.as_slice() {
                contributions.entry(seule).or_default().push(case_q);
                continue;
            }
            let parties: Vec<usize> = communes
                .iter()
                .map(|c| self.case(cle_partie(q, c, p)))
                .collect();
            self.publie.somme(case_q, &parties);
            for (c, &partie) in communes.iter().zip(&parties) {
                contributions.entry(c).or_default().push(partie);
            }
        }
        let mut par_ept: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (c, siennes) in &contributions {
            if de_la_commune(c).map(|x| x.code) != Some(d) {
                continue;
            }
            let commune = self.territoire(niveaux::COMMUNE, c, &pq);
            self.publie.somme(commune, siennes);
            if let Some(e) = s.ept.get(*c) {
                par_ept.entry(e).or_default().extend(siennes);
            }
        }
        for (e, siennes) in &par_ept {
            let ept = self.territoire(niveaux::EPT, e, &pq);
            self.publie.somme(ept, siennes);
        }
        self.bornes_et_parts(d, s, p, &par_ept);
    }

    /// A public within its total, a count in QPV within the territory's,
    /// and the published shares, for public `p` in département `d`.
    fn bornes_et_parts(
        &mut self,
        d: &str,
        s: &Structure,
        p: &str,
        par_ept: &BTreeMap<&str, Vec<usize>>,
    ) {
        let pq = format!("{p}{SUFFIXE_QPV}");
        let tous_qpv = format!("{DE_ABC}{SUFFIXE_QPV}");
        let dep_tous_qpv = self.territoire(niveaux::DEPARTEMENT, d, &tous_qpv);
        for q in s.qpv.keys() {
            let x = self.territoire(niveaux::QPV, q, p);
            let tous = self.territoire(niveaux::QPV, q, DE_ABC);
            if p == DE_ABC {
                self.part(cle(niveaux::QPV, q, p), x, dep_tous_qpv);
            } else {
                self.publie.au_plus(x, tous);
                self.part(cle(niveaux::QPV, q, p), x, tous);
            }
        }
        let communes: BTreeSet<&String> = s
            .qpv
            .values()
            .flatten()
            .filter(|c| de_la_commune(c).map(|x| x.code) == Some(d))
            .collect();
        let territoires: Vec<(&str, String)> =
            std::iter::once((niveaux::DEPARTEMENT, d.to_string()))
                .chain(communes.into_iter().map(|c| (niveaux::COMMUNE, c.clone())))
                .chain(par_ept.keys().map(|e| (niveaux::EPT, e.to_string())))
                .collect();
        for (niveau, code) in &territoires {
            let x_qpv = self.territoire(niveau, code, &pq);
            let x = self.territoire(niveau, code, p);
            let tous = self.territoire(niveau, code, DE_ABC);
            let tous_en_qpv = self.territoire(niveau, code, &tous_qpv);
            self.publie.au_plus(x_qpv, x);
            if p == DE_ABC {
                self.part(cle(niveau, code, &pq), x_qpv, x);
            } else {
                self.publie.au_plus(x, tous);
                self.publie.au_plus(x_qpv, tous_en_qpv);
                self.part(cle(niveau, code, &pq), x_qpv, tous_en_qpv);
                self.part(cle(niveau, code, p), x, tous);
            }
        }
    }
}
