//! The linked tables (DOMAIN.md, "Outputs", secrecy): one description of
//! every count of people a report publishes, from which the protection
//! (`indicateurs::protection`) and the attacker's audit (`rapport::audit`)
//! both build the same linear system.
//!
//! A count is a [`Cellule`]: a family and its variable, a period, a
//! category, a territory, and a zone (all of the territory, its QPV part,
//! or the rest). Each dimension has its hierarchy, and the relations are
//! generated from them, never written per family:
//! - zone: a territory = its QPV part + its part outside QPV (an
//!   unpublished complement any reader can write);
//! - territory, QPV part: a commune's, an intercommunality's or the
//!   département's count in QPV is the sum of its QPV (of their parts, for
//!   a QPV on several communes; an intercommunal QPV = its parts);
//! - territory, every zone: the communes, the intercommunalities, the
//!   structures within the département (their sum, or at most it when
//!   only some of them are published);
//! - category: a total = the sum of its categories, or each within it
//!   ([`Famille::categories`]);
//! - ratios: a published share ties its numerator to the parent named by
//!   [`Famille::parts`]; an achievement rate ties a count to its published
//!   objective.
//!
//! Adding a family is a [`Famille`] and its declaration: no relation
//! code, no audit code (τ-Argus and sdcTable describe linked tables the
//! same way: one hierarchical code list per dimension).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::audit::Publie;
use super::Relation;
use crate::modele::departements::de_la_commune;
use polars::prelude::PolarsResult;

use crate::modele::{
    niveaux, textes, Generation, Periode, Referentiel, DE_ABC, INDICATEURS_ML, PUBLICS_DE,
    SUFFIXE_QPV,
};

/// The tables of counts of people, each with its dimensions' rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Famille {
    /// Job seekers: the publics within all job seekers, the QPV and the
    /// communes with a QPV within their territories.
    Demandeurs,
    /// Missions locales: the structures make up their département.
    MissionsLocales,
    /// Schemes: categories make up their total, the communes and QPV given
    /// are some of the département's.
    Dispositifs,
}

/// How the categories of a variable stand to its total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Categories {
    /// The total is their sum.
    Exhaustives,
    /// Each is within the total (publics overlap).
    Incluses,
}

/// A dimension along which a share is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// Over the category's total.
    Categorie,
    /// The QPV part over the whole territory.
    Zone,
    /// A QPV over its département's QPV part.
    Territoire,
}

impl Famille {
    /// How its categories make up its total.
    pub fn categories(self) -> Categories {
        match self {
            Famille::Demandeurs => Categories::Incluses,
            Famille::MissionsLocales | Famille::Dispositifs => Categories::Exhaustives,
        }
    }

    /// Whether the territories published below the département make it up
    /// (else they are some of it).
    pub fn sous_territoires_exhaustifs(self) -> bool {
        self == Famille::MissionsLocales
    }

    /// The denominator of a published share: the parent of its numerator in
    /// the first of these dimensions where it has one.
    pub fn parts(self) -> &'static [Dimension] {
        match self {
            Famille::Demandeurs => &[Dimension::Categorie, Dimension::Zone, Dimension::Territoire],
            Famille::MissionsLocales | Famille::Dispositifs => &[Dimension::Zone],
        }
    }

    /// As said in the manifest and in messages.
    pub fn nom(self) -> &'static str {
        match self {
            Famille::Demandeurs => "demandeurs_emploi",
            Famille::MissionsLocales => "missions_locales",
            Famille::Dispositifs => "dispositifs",
        }
    }
}

/// Where a count is within its territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Zone {
    Tout,
    Qpv,
    HorsQpv,
}

/// A territory: level and code; for the part of an intercommunal QPV in
/// one of its communes, that commune (else empty).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Territoire {
    pub niveau: String,
    pub code: String,
    pub commune: String,
}

impl Territoire {
    pub fn new(niveau: &str, code: &str) -> Self {
        Territoire {
            niveau: niveau.to_string(),
            code: code.to_string(),
            commune: String::new(),
        }
    }

    fn est_qpv(&self) -> bool {
        self.niveau == niveaux::QPV
    }
}

/// One count of people of a linked table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cellule {
    pub famille: Famille,
    /// The quarter, or the year.
    pub periode: String,
    /// Within the family: the scheme and its indicator, the missions
    /// locales' indicator; empty for job seekers.
    pub variable: String,
    /// Empty for the total.
    pub categorie: String,
    pub territoire: Territoire,
    pub zone: Zone,
}

/// What a published row says, by the columns of `indicateurs.csv`.
pub struct Ligne<'a> {
    pub periode: &'a str,
    pub niveau: &'a str,
    pub code: &'a str,
    /// The commune of the part of an intercommunal QPV.
    pub commune: &'a str,
    pub indicateur: &'a str,
    pub categorie: &'a str,
    pub dispositif: Option<&'a str>,
}

impl Cellule {
    /// The count a row is about, when it is a count of people of one of
    /// the families (the families' declarations of their rows).
    pub fn de_la_ligne(l: &Ligne) -> Option<Cellule> {
        let (base, en_qpv) = match l.indicateur.strip_suffix(SUFFIXE_QPV) {
            Some(b) => (b, true),
            None => (l.indicateur, false),
        };
        let (famille, variable, categorie) = match l.dispositif {
            Some(d) => (
                Famille::Dispositifs,
                format!("{d}|{base}"),
                l.categorie.to_string(),
            ),
            None if PUBLICS_DE.contains(&base) => {
                let categorie = if base == DE_ABC { "" } else { base };
                (Famille::Demandeurs, String::new(), categorie.to_string())
            }
            None if INDICATEURS_ML.contains(&base) => {
                (Famille::MissionsLocales, base.to_string(), String::new())
            }
            None => return None,
        };
        let territoire = Territoire {
            niveau: l.niveau.to_string(),
            code: l.code.to_string(),
            commune: l.commune.to_string(),
        };
        let zone = match (en_qpv, territoire.est_qpv()) {
            (false, _) => Zone::Tout,
            (true, false) => Zone::Qpv,
            // A QPV's count "in QPV" is its count.
            (true, true) if famille == Famille::Demandeurs => return None,
            (true, true) => Zone::Qpv,
        };
        Some(Cellule {
            famille,
            periode: l.periode.to_string(),
            variable,
            categorie,
            territoire,
            zone,
        })
    }

    fn en(&self, zone: Zone) -> Cellule {
        Cellule {
            zone,
            ..self.clone()
        }
    }

    fn au_territoire(&self, territoire: Territoire, zone: Zone) -> Cellule {
        Cellule {
            territoire,
            zone,
            ..self.clone()
        }
    }

    fn au_total(&self) -> Cellule {
        Cellule {
            categorie: String::new(),
            ..self.clone()
        }
    }

    /// Its table, apart from territory and zone.
    fn tranche(&self) -> (Famille, String, String, String) {
        (
            self.famille,
            self.periode.clone(),
            self.variable.clone(),
            self.categorie.clone(),
        )
    }
}

/// A published count: its value, or `None` with whether it is secret.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chiffre {
    pub valeur: Option<f64>,
    pub secret: bool,
}

/// What a département publishes of its counts of people: the counts, the
/// shares (by their numerator), the achievement rates and the objectives
/// (by their count).
#[derive(Debug, Clone, Default)]
pub struct Publication {
    pub effectifs: BTreeMap<Cellule, Chiffre>,
    pub parts: BTreeMap<Cellule, f64>,
    pub taux: BTreeMap<Cellule, f64>,
    pub objectifs: BTreeMap<Cellule, f64>,
}

/// What any reader knows of a département's territories: its QPV with
/// their communes, the intercommunalities (level, code) of each commune.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub qpv: BTreeMap<String, Vec<String>>,
    pub intercommunalites: BTreeMap<String, Vec<Territoire>>,
    /// The intercommunalities with communes in other départements: not
    /// within the département (an EPCI over two départements).
    pub debordantes: BTreeSet<Territoire>,
}

/// The structure of every département of the referential, for the QPV
/// of `periode`'s generation. A QPV on two départements is in both.
fn structures(
    referentiel: &Referentiel,
    periode: Periode,
) -> PolarsResult<BTreeMap<String, Structure>> {
    let r = &referentiel.lignes;
    let (qpv, communes) = (textes(r, "code_qpv")?, textes(r, "code_commune")?);
    // Every commune of an intercommunality, with a QPV or not: a reader
    // knows INSEE's composition too.
    let ci = referentiel.communes_interco()?.collect()?;
    let (communes_ci, niveaux_interco, intercos) = (
        textes(&ci, "code_commune")?,
        textes(&ci, "niveau_interco")?,
        textes(&ci, "code_interco")?,
    );
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
    let mut departements: BTreeMap<Territoire, BTreeSet<&str>> = BTreeMap::new();
    for (c, (n, e)) in communes_ci
        .iter()
        .zip(niveaux_interco.iter().zip(&intercos))
    {
        if let (Some(d), false) = (de_la_commune(c), e.is_empty()) {
            departements
                .entry(Territoire::new(n, e))
                .or_default()
                .insert(d.code);
        }
    }
    for (interco, deps) in departements.iter().filter(|(_, d)| d.len() > 1) {
        for d in deps {
            if let Some(s) = structures.get_mut(*d) {
                s.debordantes.insert(interco.clone());
            }
        }
    }
    for (c, (n, e)) in communes_ci
        .iter()
        .zip(niveaux_interco.iter().zip(&intercos))
    {
        if let (Some(d), false) = (de_la_commune(c), e.is_empty()) {
            if let Some(s) = structures.get_mut(d.code) {
                let siennes = s.intercommunalites.entry(c.clone()).or_default();
                let interco = Territoire::new(n, e);
                if !siennes.contains(&interco) {
                    siennes.push(interco);
                }
            }
        }
    }
    Ok(structures)
}

/// The territories of every département for both QPV lists, so that a
/// count is related to the QPV of its own quarter: protection and audit
/// pick them alike ([`Structures::de`]).
pub struct Structures {
    par_generation: Vec<(Generation, BTreeMap<String, Structure>)>,
    defaut: Generation,
}

impl Structures {
    /// From the referential; a period that is not a quarter (a year) takes
    /// the QPV list of `reference`.
    pub fn new(referentiel: &Referentiel, reference: Periode) -> PolarsResult<Structures> {
        let premier = crate::modele::PREMIER_INDEX_QPV2024;
        let par_generation = [premier - 1, premier]
            .into_iter()
            .map(Periode::depuis_index)
            .map(|p| Ok((p.generation(), structures(referentiel, p)?)))
            .collect::<PolarsResult<Vec<_>>>()?;
        Ok(Structures {
            par_generation,
            defaut: reference.generation(),
        })
    }

    /// The territories of département `d` for the counts of `periode`.
    pub fn de(&self, d: &str, periode: &str) -> Option<&Structure> {
        let g = Periode::lire(periode).map_or(self.defaut, Periode::generation);
        self.par_generation
            .iter()
            .find(|(x, _)| *x == g)
            .and_then(|(_, s)| s.get(d))
    }
}

/// The linear system of what one département publishes: its counts
/// (published, masked, or unpublished complements) and the relations the
/// hierarchies generate.
#[derive(Debug, Default)]
pub struct Systeme {
    pub publie: Publie,
    /// The key of each count of `publie`.
    pub cles: Vec<Cellule>,
    /// The counts published as secret.
    pub secretes: Vec<usize>,
    /// Every `total = Σ parts` generated (the relation-by-relation pass).
    pub sommes: Vec<Relation>,
    index: HashMap<Cellule, usize>,
}

impl Systeme {
    /// The system of département `d`, of structure `s`, publishing `p`.
    pub fn new(d: &str, s: &Structure, p: &Publication) -> Systeme {
        let mut sys = Systeme::default();
        for (k, c) in &p.effectifs {
            let i = sys.publie.case(c.valeur.filter(|_| !c.secret));
            sys.cles.push(k.clone());
            sys.index.insert(k.clone(), i);
            if c.secret {
                sys.secretes.push(i);
            }
        }
        // Each table (family, period, variable, category): one of its
        // counts, and the territories and zones it publishes.
        let mut tranches: BTreeMap<_, (&Cellule, BTreeSet<(Territoire, Zone)>)> = BTreeMap::new();
        for k in p.effectifs.keys() {
            tranches
                .entry(k.tranche())
                .or_insert_with(|| (k, BTreeSet::new()))
                .1
                .insert((k.territoire.clone(), k.zone));
        }
        for (m, cellules) in tranches.into_values() {
            sys.tranche(d, s, m, &cellules);
        }
        sys.categories();
        sys.ratios(d, p);
        sys
    }

    /// The index of the count of `k`, when the system holds it.
    pub fn indice(&self, k: &Cellule) -> Option<usize> {
        self.index.get(k).copied()
    }

    /// Whether count `i` is an unpublished complement.
    pub fn complement(&self, i: usize) -> bool {
        self.publie.libres.contains(&i)
    }

    /// The count of `k`, an unpublished complement when new.
    fn case(&mut self, k: Cellule) -> usize {
        if let Some(&i) = self.index.get(&k) {
            return i;
        }
        let i = self.publie.case(None);
        self.publie.libres.insert(i);
        self.cles.push(k.clone());
        self.index.insert(k, i);
        i
    }

    fn somme(&mut self, total: usize, parties: Vec<usize>) {
        self.publie.somme(total, &parties);
        self.sommes.push(Relation { total, parties });
    }

    /// The relations of one table (family, period, variable, category)
    /// whose published territories and zones are `cellules`; `m` is one
    /// of its counts.
    fn tranche(
        &mut self,
        d: &str,
        s: &Structure,
        m: &Cellule,
        cellules: &BTreeSet<(Territoire, Zone)>,
    ) {
        let a = |t: &Territoire, z: Zone| cellules.contains(&(t.clone(), z));
        let territoires: BTreeSet<&Territoire> = cellules.iter().map(|(t, _)| t).collect();
        for t in &territoires {
            if !(a(t, Zone::Tout) && a(t, Zone::Qpv)) {
                continue;
            }
            let tout = self.case(m.au_territoire((*t).clone(), Zone::Tout));
            let qpv = self.case(m.au_territoire((*t).clone(), Zone::Qpv));
            if t.est_qpv() {
                self.somme(tout, vec![qpv]);
            } else {
                let hors = self.case(m.au_territoire((*t).clone(), Zone::HorsQpv));
                self.somme(tout, vec![qpv, hors]);
            }
        }
        // The QPV's sums, for a table published below the département on
        // the referential's territories (not for the missions locales'
        // structures).
        let geographique = |t: &&Territoire| {
            [niveaux::QPV, niveaux::COMMUNE, niveaux::EPT, niveaux::EPCI]
                .contains(&t.niveau.as_str())
        };
        if !s.qpv.is_empty() && territoires.iter().any(geographique) {
            self.quartiers(d, s, m, cellules);
        }
        self.sous_territoires(d, s, m, cellules);
    }

    /// A territory's count in QPV is the sum of its QPV, or of their
    /// parts in it; an intercommunal QPV is the sum of its parts.
    fn quartiers(
        &mut self,
        d: &str,
        s: &Structure,
        m: &Cellule,
        cellules: &BTreeSet<(Territoire, Zone)>,
    ) {
        let qpv_de = |q: &str, commune: &str| Territoire {
            niveau: niveaux::QPV.to_string(),
            code: q.to_string(),
            commune: commune.to_string(),
        };
        let du_departement = |c: &str| de_la_commune(c).map(|x| x.code) == Some(d);
        // What each QPV puts in each commune of the département.
        let mut contributions: BTreeMap<&str, Vec<Territoire>> = BTreeMap::new();
        for (q, communes) in &s.qpv {
            if let [seule] = communes.as_slice() {
                contributions.entry(seule).or_default().push(qpv_de(q, ""));
                continue;
            }
            for c in communes {
                contributions.entry(c).or_default().push(qpv_de(q, c));
            }
        }
        let mut totaux: Vec<(Territoire, Vec<Territoire>)> = Vec::new();
        let mut intercommunales: BTreeMap<&Territoire, Vec<Territoire>> = BTreeMap::new();
        for (c, siennes) in &contributions {
            if !du_departement(c) {
                continue;
            }
            totaux.push((Territoire::new(niveaux::COMMUNE, c), siennes.clone()));
            for i in s.intercommunalites.get(*c).into_iter().flatten() {
                intercommunales
                    .entry(i)
                    .or_default()
                    .extend(siennes.clone());
            }
        }
        totaux.extend(intercommunales.into_iter().map(|(i, v)| (i.clone(), v)));
        let tous: Vec<Territoire> = s.qpv.keys().map(|q| qpv_de(q, "")).collect();
        totaux.push((Territoire::new(niveaux::DEPARTEMENT, d), tous));
        let mut parties_utilisees = BTreeSet::new();
        for (total, parties) in totaux {
            if !cellules.contains(&(total.clone(), Zone::Qpv)) {
                continue;
            }
            let t = self.case(m.au_territoire(total, Zone::Qpv));
            let p: Vec<usize> = parties
                .iter()
                .map(|q| self.case(m.au_territoire(q.clone(), Zone::Tout)))
                .collect();
            parties_utilisees.extend(parties.into_iter().filter(|q| !q.commune.is_empty()));
            self.somme(t, p);
        }
        // A QPV on several communes is the sum of its parts, when it or
        // one of them is in the system.
        for (q, communes) in s.qpv.iter().filter(|(_, c)| c.len() > 1) {
            let parties: Vec<Territoire> = communes.iter().map(|c| qpv_de(q, c)).collect();
            let entier = qpv_de(q, "");
            let present = |t: &Territoire| cellules.contains(&(t.clone(), Zone::Tout));
            if !(present(&entier)
                || parties
                    .iter()
                    .any(|p| present(p) || parties_utilisees.contains(p)))
            {
                continue;
            }
            let t = self.case(m.au_territoire(entier, Zone::Tout));
            let p: Vec<usize> = parties
                .into_iter()
                .map(|q| self.case(m.au_territoire(q, Zone::Tout)))
                .collect();
            self.somme(t, p);
        }
    }

    /// In every zone, the territories below the département within it (or
    /// making it up, [`Famille::sous_territoires_exhaustifs`]), and the
    /// communes within their intercommunality.
    fn sous_territoires(
        &mut self,
        d: &str,
        s: &Structure,
        m: &Cellule,
        cellules: &BTreeSet<(Territoire, Zone)>,
    ) {
        let departement = Territoire::new(niveaux::DEPARTEMENT, d);
        let mut enfants: BTreeMap<(Territoire, Zone), Vec<Territoire>> = BTreeMap::new();
        // The counts of the table: those published, and the parts
        // outside QPV generated beside them.
        let hors = cellules
            .iter()
            .filter(|(t, z)| {
                *z == Zone::Tout && !t.est_qpv() && cellules.contains(&(t.clone(), Zone::Qpv))
            })
            .map(|(t, _)| (t.clone(), Zone::HorsQpv));
        let toutes: Vec<(Territoire, Zone)> = cellules.iter().cloned().chain(hors).collect();
        for (t, zone) in toutes {
            if t.est_qpv() || t == departement {
                continue;
            }
            if t.niveau == niveaux::COMMUNE {
                for i in s.intercommunalites.get(&t.code).into_iter().flatten() {
                    enfants
                        .entry((i.clone(), zone))
                        .or_default()
                        .push(t.clone());
                }
            }
            // An EPCI over two départements is not within this one.
            if !s.debordantes.contains(&t) {
                enfants
                    .entry((departement.clone(), zone))
                    .or_default()
                    .push(t);
            }
        }
        let exhaustif = m.famille.sous_territoires_exhaustifs();
        for ((parent, zone), liste) in enfants {
            let present = cellules.contains(&(parent.clone(), zone))
                || self
                    .index
                    .contains_key(&m.au_territoire(parent.clone(), zone));
            if !present {
                continue;
            }
            let p = self.case(m.au_territoire(parent.clone(), zone));
            // One sum per level below the parent (communes, then
            // intercommunalities, then structures: each disjoint).
            let mut par_niveau: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for t in &liste {
                let i = self.case(m.au_territoire(t.clone(), zone));
                par_niveau.entry(t.niveau.as_str()).or_default().push(i);
            }
            for (_, parties) in par_niveau {
                if exhaustif {
                    self.somme(p, parties);
                } else {
                    let mut termes: Vec<(usize, f64)> = parties.iter().map(|&i| (i, 1.0)).collect();
                    termes.push((p, -1.0));
                    self.publie.inegalites.push((termes, 0.0));
                }
            }
        }
    }

    /// Each category within its total (or the total their sum), in every
    /// zone and territory where the total is in the system.
    fn categories(&mut self) {
        let mut groupes: BTreeMap<Cellule, Vec<usize>> = BTreeMap::new();
        for (i, k) in self.cles.iter().enumerate() {
            if !k.categorie.is_empty() {
                groupes.entry(k.au_total()).or_default().push(i);
            }
        }
        for (total, parties) in groupes {
            let Some(&t) = self.index.get(&total) else {
                continue;
            };
            match total.famille.categories() {
                Categories::Exhaustives => self.somme(t, parties),
                Categories::Incluses => {
                    for p in parties {
                        self.publie.au_plus(p, t);
                    }
                }
            }
        }
    }

    /// The published shares and achievement rates, as relations.
    fn ratios(&mut self, d: &str, p: &Publication) {
        for (k, &part) in &p.parts {
            let Some(&n) = self.index.get(k) else {
                continue;
            };
            let denominateur = k.famille.parts().iter().find_map(|dim| match dim {
                Dimension::Categorie if !k.categorie.is_empty() => Some(k.au_total()),
                Dimension::Zone if k.zone == Zone::Qpv && !k.territoire.est_qpv() => {
                    Some(k.en(Zone::Tout))
                }
                Dimension::Territoire if k.territoire.est_qpv() => {
                    Some(k.au_territoire(Territoire::new(niveaux::DEPARTEMENT, d), Zone::Qpv))
                }
                _ => None,
            });
            if let Some(&dn) = denominateur.as_ref().and_then(|c| self.index.get(c)) {
                self.publie.part(n, dn, part);
            }
        }
        for (k, &taux) in &p.taux {
            if let (Some(&i), Some(objectif)) = (self.index.get(k), p.objectifs.get(k)) {
                self.publie.egalites.push((vec![(i, 1.0)], taux * objectif));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::audit::{encadrer_parmi, failles, Faille};

    fn dispositif(niveau: &str, code: &str, categorie: &str, zone: Zone) -> Cellule {
        Cellule {
            famille: Famille::Dispositifs,
            periode: "2025T4".into(),
            variable: "PRE|enfants".into(),
            categorie: categorie.into(),
            territoire: Territoire::new(niveau, code),
            zone,
        }
    }

    fn publie(v: Option<f64>) -> Chiffre {
        Chiffre {
            valeur: v,
            secret: v.is_none(),
        }
    }

    /// A commune with two QPV, the second of which is on two communes.
    fn structure() -> Structure {
        let mut s = Structure::default();
        s.qpv.insert("QN09201".into(), vec!["92002".into()]);
        s.qpv
            .insert("QN09202".into(), vec!["92002".into(), "92004".into()]);
        s
    }

    /// What a reader learns of the masked counts and of the complements.
    fn divulgations(p: &Publication, s: &Structure) -> Vec<(Cellule, Faille)> {
        let sys = Systeme::new("92", s, p);
        let mut a_voir = sys.secretes.clone();
        a_voir.extend(sys.publie.libres.iter().copied());
        let e = encadrer_parmi(&sys.publie, &a_voir).unwrap();
        failles(&e, 5)
            .into_iter()
            .map(|f| (sys.cles[f.case()].clone(), f))
            .collect()
    }

    /// The generator writes, for a commune with two QPV and a category
    /// split: its QPV part = the sum of its QPV (the part of the
    /// intercommunal one), its whole = QPV part + the rest, the
    /// intercommunal QPV = its parts, the total = its categories.
    #[test]
    fn le_systeme_contient_les_relations_des_hierarchies() {
        let mut p = Publication::default();
        let c = |cat, zone| dispositif(niveaux::COMMUNE, "92002", cat, zone);
        for (k, v) in [
            (c("", Zone::Tout), 40.0),
            (c("", Zone::Qpv), 30.0),
            (c("a", Zone::Tout), 25.0),
            (c("b", Zone::Tout), 15.0),
            (dispositif(niveaux::QPV, "QN09201", "", Zone::Tout), 20.0),
        ] {
            p.effectifs.insert(k, publie(Some(v)));
        }
        let sys = Systeme::new("92", &structure(), &p);
        let i = |k: &Cellule| sys.indice(k).unwrap();
        let partie = Cellule {
            territoire: Territoire {
                niveau: niveaux::QPV.into(),
                code: "QN09202".into(),
                commune: "92002".into(),
            },
            ..dispositif(niveaux::QPV, "", "", Zone::Tout)
        };
        let a_la_somme = |total: usize, mut parties: Vec<usize>| {
            parties.sort_unstable();
            sys.sommes.iter().any(|r| {
                let mut q = r.parties.clone();
                q.sort_unstable();
                r.total == total && q == parties
            })
        };
        let qpv_2 = i(&partie.au_territoire(Territoire::new(niveaux::QPV, "QN09202"), Zone::Tout));
        assert!(a_la_somme(
            i(&c("", Zone::Qpv)),
            vec![
                i(&dispositif(niveaux::QPV, "QN09201", "", Zone::Tout)),
                i(&partie)
            ]
        ));
        assert!(a_la_somme(
            i(&c("", Zone::Tout)),
            vec![i(&c("", Zone::Qpv)), i(&c("", Zone::HorsQpv))]
        ));
        assert!(sys.complement(i(&c("", Zone::HorsQpv))));
        assert!(a_la_somme(
            qpv_2,
            vec![
                i(&partie),
                i(&partie.au_territoire(
                    Territoire {
                        niveau: niveaux::QPV.into(),
                        code: "QN09202".into(),
                        commune: "92004".into()
                    },
                    Zone::Tout
                ))
            ]
        ));
        assert!(a_la_somme(
            i(&c("", Zone::Tout)),
            vec![i(&c("a", Zone::Tout)), i(&c("b", Zone::Tout))]
        ));
    }

    /// The disclosures of issue 30, protection off: a commune's masked QPV
    /// part from its QPV, its part outside QPV from its count (2); a
    /// mission locale's part outside QPV (2); a QPV under its commune when
    /// the other QPV is published.
    #[test]
    fn l_audit_trouve_les_divulgations_entre_tables_liees() {
        let mut s = Structure::default();
        s.qpv.insert("QN09201".into(), vec!["92002".into()]);
        s.qpv.insert("QN09203".into(), vec!["92002".into()]);
        let mut p = Publication::default();
        let c = |zone| dispositif(niveaux::COMMUNE, "92002", "", zone);
        p.effectifs.insert(c(Zone::Tout), publie(Some(32.0)));
        p.effectifs.insert(c(Zone::Qpv), publie(None));
        for (q, v) in [("QN09201", 12.0), ("QN09203", 18.0)] {
            let k = dispositif(niveaux::QPV, q, "", Zone::Tout);
            p.effectifs.insert(k, publie(Some(v)));
        }
        let f = divulgations(&p, &s);
        let pinned = |zone: Zone, v: f64| {
            f.iter().any(|(k, f)| {
                k.zone == zone
                    && matches!(f, Faille::Epinglee { valeur, .. } if (valeur - v).abs() < 1e-6)
            })
        };
        assert!(pinned(Zone::Qpv, 30.0), "{f:?}");
        assert!(pinned(Zone::HorsQpv, 2.0), "{f:?}");

        let ml = |niveau: &str, code: &str, zone| Cellule {
            famille: Famille::MissionsLocales,
            periode: "2025".into(),
            variable: "jeunes_accompagnes".into(),
            categorie: String::new(),
            territoire: Territoire::new(niveau, code),
            zone,
        };
        let mut p = Publication::default();
        p.effectifs.insert(
            ml(niveaux::MISSION_LOCALE, "ML1", Zone::Tout),
            publie(Some(40.0)),
        );
        p.effectifs.insert(
            ml(niveaux::MISSION_LOCALE, "ML1", Zone::Qpv),
            publie(Some(38.0)),
        );
        let f = divulgations(&p, &Structure::default());
        assert!(
            matches!(f.as_slice(), [(k, Faille::Epinglee { valeur, .. })] if k.zone == Zone::HorsQpv && (valeur - 2.0).abs() < 1e-6),
            "{f:?}"
        );

        // A masked QPV under its published commune, the other QPV
        // published: pinned.
        let mut p = Publication::default();
        p.effectifs.insert(c(Zone::Tout), publie(Some(90.0)));
        p.effectifs.insert(c(Zone::Qpv), publie(Some(33.0)));
        p.effectifs.insert(
            dispositif(niveaux::QPV, "QN09201", "", Zone::Tout),
            publie(None),
        );
        p.effectifs.insert(
            dispositif(niveaux::QPV, "QN09203", "", Zone::Tout),
            publie(Some(30.0)),
        );
        let f = divulgations(&p, &s);
        assert!(
            f.iter().any(|(k, f)| k.territoire.code == "QN09201"
                && matches!(f, Faille::Epinglee { valeur, .. } if (valeur - 3.0).abs() < 1e-6)),
            "{f:?}"
        );
    }

    /// A complement pinned at 0 or at a count from the threshold on tells
    /// nothing secret.
    #[test]
    fn un_complement_connu_hors_des_petits_effectifs_n_est_pas_une_divulgation() {
        let ml = |zone| Cellule {
            famille: Famille::MissionsLocales,
            periode: "2025".into(),
            variable: "entrees_cej".into(),
            categorie: String::new(),
            territoire: Territoire::new(niveaux::MISSION_LOCALE, "ML1"),
            zone,
        };
        for (tout, qpv) in [(40.0, 40.0), (40.0, 20.0)] {
            let mut p = Publication::default();
            p.effectifs.insert(ml(Zone::Tout), publie(Some(tout)));
            p.effectifs.insert(ml(Zone::Qpv), publie(Some(qpv)));
            assert!(divulgations(&p, &Structure::default()).is_empty());
        }
    }
}
