//! The schemes' counts of people as an attacker reads them, for the audit:
//! every published count, share, target and achievement rate of one
//! département, and what ties them. A count is its QPV part (`…_qpv`) plus
//! an unpublished rest; a total is the sum of its categories (in all and in
//! QPV); the communes, and the QPV, are disjoint parts of the département
//! (their sum is at most its figure); a share is the QPV part over the
//! count; an achievement rate is the count over its target.

use std::collections::{BTreeMap, HashMap};

use super::audit::Publie;
use crate::modele::{mesures, niveaux};

/// One published figure of a scheme.
#[derive(Debug, Clone)]
pub struct ChiffreDispositif {
    pub periode: String,
    pub niveau: String,
    pub code: String,
    pub dispositif: String,
    pub indicateur: String,
    pub categorie: String,
    pub mesure: String,
    pub valeur: Option<f64>,
    pub secret: bool,
}

/// A count of the system: period, level, code, scheme, indicator,
/// category.
pub type CleDispositif = (String, String, String, String, String, String);

/// The key of the unpublished part outside QPV of the count of `k`.
pub fn cle_hors_qpv(k: &CleDispositif) -> CleDispositif {
    let mut hors = k.clone();
    hors.4 = format!("{}_hors_qpv", k.4);
    hors
}

/// The linear system of one département's schemes.
#[derive(Default)]
pub struct SystemeDispositifs {
    pub publie: Publie,
    /// The key of each count of `publie`.
    pub cles: Vec<CleDispositif>,
    /// The counts published as secret.
    pub secretes: Vec<usize>,
    index: HashMap<CleDispositif, usize>,
}

const SUFFIXE_QPV: &str = "_qpv";

impl ChiffreDispositif {
    /// The key of its count.
    pub fn cle(&self) -> CleDispositif {
        cle(self, &self.indicateur, &self.categorie)
    }
}

fn cle(c: &ChiffreDispositif, indicateur: &str, categorie: &str) -> CleDispositif {
    (
        c.periode.clone(),
        c.niveau.clone(),
        c.code.clone(),
        c.dispositif.clone(),
        indicateur.to_string(),
        categorie.to_string(),
    )
}

impl SystemeDispositifs {
    /// The index of the count of `k`, when the system holds it.
    pub fn indice(&self, k: &CleDispositif) -> Option<usize> {
        self.index.get(k).copied()
    }

    /// The count of `k`, added unknown when new.
    fn case(&mut self, k: CleDispositif) -> usize {
        if let Some(&i) = self.index.get(&k) {
            return i;
        }
        let i = self.publie.case(None);
        self.cles.push(k.clone());
        self.index.insert(k, i);
        i
    }

    /// The system of `chiffres` (one département's).
    pub fn new(chiffres: &[ChiffreDispositif]) -> Self {
        let mut sys = SystemeDispositifs::default();
        let effectifs: Vec<&ChiffreDispositif> = chiffres
            .iter()
            .filter(|c| c.mesure == mesures::EFFECTIF)
            .collect();
        for c in &effectifs {
            let i = sys.case(c.cle());
            sys.publie.cases[i] = c.valeur.filter(|_| !c.secret);
            if c.secret {
                sys.secretes.push(i);
            }
        }
        sys.parties_qpv();
        sys.categories();
        sys.territoires();
        let objectifs: HashMap<CleDispositif, f64> = chiffres
            .iter()
            .filter(|c| c.mesure == mesures::OBJECTIF && !c.secret)
            .filter_map(|c| Some((cle(c, &c.indicateur, &c.categorie), c.valeur?)))
            .collect();
        for c in chiffres {
            sys.part_ou_taux(c, &objectifs);
        }
        sys
    }

    /// Each count in QPV within its count: `x = x_qpv + reste`.
    fn parties_qpv(&mut self) {
        let qpv: Vec<(usize, CleDispositif)> = self
            .cles
            .iter()
            .enumerate()
            .filter(|(_, k)| k.4.ends_with(SUFFIXE_QPV))
            .map(|(i, k)| (i, k.clone()))
            .collect();
        for (i, k) in qpv {
            let mut tout = k.clone();
            tout.4 = k.4.trim_end_matches(SUFFIXE_QPV).to_string();
            let hors = cle_hors_qpv(&tout);
            let (t, reste) = (self.case(tout), self.case(hors));
            self.publie.somme(t, &[i, reste]);
        }
    }

    /// A total over its categories, when it has some.
    fn categories(&mut self) {
        let mut groupes: BTreeMap<CleDispositif, Vec<usize>> = BTreeMap::new();
        for (i, k) in self
            .cles
            .iter()
            .enumerate()
            .filter(|(_, k)| !k.5.is_empty())
        {
            let mut total = k.clone();
            total.5 = String::new();
            groupes.entry(total).or_default().push(i);
        }
        for (total, parties) in groupes {
            if let Some(&t) = self.index.get(&total) {
                self.publie.somme(t, &parties);
            }
        }
    }

    /// The communes, and the QPV, of the département: their sum at most
    /// its figure (disjoint territories, not all of it).
    fn territoires(&mut self) {
        // A figure apart from its territory: period, scheme, indicator,
        // category.
        let sans_territoire =
            |k: &CleDispositif| (k.0.clone(), k.3.clone(), k.4.clone(), k.5.clone());
        let mut parties: BTreeMap<(_, &str), Vec<usize>> = BTreeMap::new();
        let mut departements = HashMap::new();
        for (i, k) in self.cles.iter().enumerate() {
            match k.1.as_str() {
                niveaux::DEPARTEMENT => {
                    departements.insert(sans_territoire(k), i);
                }
                n @ (niveaux::COMMUNE | niveaux::QPV) => {
                    parties.entry((sans_territoire(k), n)).or_default().push(i);
                }
                _ => {}
            }
        }
        for ((chiffre, _), parties) in parties {
            if let Some(&t) = departements.get(&chiffre) {
                let mut termes: Vec<(usize, f64)> = parties.iter().map(|&p| (p, 1.0)).collect();
                termes.push((t, -1.0));
                self.publie.inegalites.push((termes, 0.0));
            }
        }
    }

    /// A published share (`x_qpv = part × x`) or achievement rate
    /// (`x = taux × objectif`, the target published).
    fn part_ou_taux(&mut self, c: &ChiffreDispositif, objectifs: &HashMap<CleDispositif, f64>) {
        let Some(v) = c.valeur.filter(|_| !c.secret) else {
            return;
        };
        if c.mesure == mesures::PART {
            let tout = c.indicateur.trim_end_matches(SUFFIXE_QPV);
            let (Some(&n), Some(&d)) = (
                self.index.get(&cle(c, &c.indicateur, &c.categorie)),
                self.index.get(&cle(c, tout, &c.categorie)),
            ) else {
                return;
            };
            self.publie.part(n, d, v);
        } else if c.mesure == mesures::TAUX_REALISATION {
            let k = cle(c, &c.indicateur, &c.categorie);
            if let (Some(&i), Some(objectif)) = (self.index.get(&k), objectifs.get(&k)) {
                self.publie.egalites.push((vec![(i, 1.0)], v * objectif));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::audit::{encadrer_parmi, failles, Faille};

    fn chiffre(
        niveau: &str,
        code: &str,
        categorie: &str,
        valeur: Option<f64>,
    ) -> ChiffreDispositif {
        ChiffreDispositif {
            periode: "2020T4".into(),
            niveau: niveau.into(),
            code: code.into(),
            dispositif: "SIAE".into(),
            indicateur: "salaries".into(),
            categorie: categorie.into(),
            mesure: mesures::EFFECTIF.into(),
            secret: valeur.is_none(),
            valeur,
        }
    }

    fn divulguees(chiffres: &[ChiffreDispositif]) -> Vec<(CleDispositif, Faille)> {
        let sys = SystemeDispositifs::new(chiffres);
        let e = encadrer_parmi(&sys.publie, &sys.secretes).unwrap();
        failles(&e, 5)
            .into_iter()
            .map(|f| (sys.cles[f.case()].clone(), f))
            .collect()
    }

    /// One category masked alone: the total less the others gives it.
    #[test]
    fn une_categorie_masquee_seule_se_deduit_du_total() {
        let d = |c, v| chiffre(niveaux::DEPARTEMENT, "92", c, v);
        let f = divulguees(&[
            d("", Some(61.0)),
            d("EI", Some(30.0)),
            d("AI", None),
            d("ACI", Some(28.0)),
        ]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0 .5, "AI");
        assert!(matches!(f[0].1, Faille::Epinglee { valeur, .. } if (valeur - 3.0).abs() < 1e-6));
        let f = divulguees(&[
            d("", Some(61.0)),
            d("EI", Some(30.0)),
            d("AI", None),
            d("ACI", None),
        ]);
        assert!(f.is_empty(), "{f:?}");
    }

    /// The communes are disjoint parts of the département: a masked one is
    /// at most the département less the others.
    #[test]
    fn une_commune_masquee_est_bornee_par_le_departement() {
        let f = divulguees(&[
            chiffre(niveaux::DEPARTEMENT, "92", "", Some(10.0)),
            chiffre(niveaux::COMMUNE, "92050", "", Some(7.0)),
            chiffre(niveaux::COMMUNE, "92036", "", None),
        ]);
        assert_eq!(f.len(), 1);
        assert!(matches!(f[0].1, Faille::Resserree { max, .. } if (max - 3.0).abs() < 1e-6));
        let f = divulguees(&[
            chiffre(niveaux::DEPARTEMENT, "92", "", Some(40.0)),
            chiffre(niveaux::COMMUNE, "92050", "", Some(7.0)),
            chiffre(niveaux::COMMUNE, "92036", "", None),
        ]);
        assert!(f.is_empty(), "{f:?}");
    }

    /// A published share pins its masked QPV part.
    #[test]
    fn une_part_publiee_epingle_la_partie_qpv() {
        let mut qpv = chiffre(niveaux::DEPARTEMENT, "92", "", None);
        qpv.indicateur = "salaries_qpv".into();
        let mut part = qpv.clone();
        part.mesure = mesures::PART.into();
        part.valeur = Some(0.1);
        part.secret = false;
        let f = divulguees(&[
            chiffre(niveaux::DEPARTEMENT, "92", "", Some(30.0)),
            qpv,
            part,
        ]);
        assert_eq!(f.len(), 1);
        assert!(matches!(f[0].1, Faille::Epinglee { valeur, .. } if (valeur - 3.0).abs() < 1e-6));
    }
}
