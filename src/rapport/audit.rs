//! The audit of a published report, as an attacker would make it: from
//! `indicateurs.csv` (every number the report publishes) and what any
//! reader knows (the QPV referential: which QPV lie in which commune,
//! which communes in which EPT), the linear problem of each département
//! (`secret::audit`), and the masked counts it gives away.
//!
//! Relations of one quarter, for each public: a territory's count "in QPV"
//! is the sum of its QPV (the part of an intercommunal QPV in a commune
//! being an unknown of its own, the parts adding up to the QPV); a public
//! is within its total, a count in QPV within the territory's; a published
//! share ties its numerator to its denominator. Evolutions tie a count to
//! the same quarter a year before, which this report does not publish: they
//! add nothing here.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::erreur::{Erreur, Resultat};
use crate::modele::departements::de_la_commune;
use crate::modele::{mesures, niveaux, textes, Periode, Referentiel, DE_ABC, SUFFIXE_QPV};
use crate::secret::audit::{encadrer_parmi, failles, Faille, Publie};

/// A masked count the report gives away.
#[derive(Debug, Clone, PartialEq)]
pub struct Divulgation {
    pub departement: String,
    pub niveau: String,
    pub code: String,
    pub indicateur: String,
    pub faille: Faille,
}

/// A published figure: its value, or `None` with whether it is secret.
#[derive(Debug, Clone, Copy)]
struct Chiffre {
    valeur: Option<f64>,
    secret: bool,
}

type Cle = (String, String, String);

/// The job-seeker counts and shares of quarter `periode`, by (level,
/// code, indicator).
fn lire_publies(
    chemin: &Path,
    periode: Periode,
) -> Resultat<(HashMap<Cle, Chiffre>, HashMap<Cle, f64>)> {
    let (mut effectifs, mut parts) = (HashMap::new(), HashMap::new());
    let periode = periode.to_string();
    for l in super::publie::lire(chemin)? {
        if l.periode != periode || l.dispositif.is_some() {
            continue;
        }
        let cle = (l.niveau, l.code, l.indicateur);
        if l.mesure == mesures::EFFECTIF {
            let secret = l.statut.as_deref() == Some("secret");
            effectifs.insert(
                cle,
                Chiffre {
                    valeur: l.valeur,
                    secret,
                },
            );
        } else if let (true, Some(v)) = (l.mesure == mesures::PART, l.valeur) {
            parts.insert(cle, v);
        }
    }
    Ok((effectifs, parts))
}

/// What any reader knows of a département: its QPV with their communes,
/// each commune's EPT.
#[derive(Debug, Default)]
struct Structure {
    qpv: BTreeMap<String, Vec<String>>,
    ept: BTreeMap<String, String>,
}

/// The structure of every département of the referential, for the QPV
/// of `periode`'s generation. A QPV on two départements is in both.
fn structures(
    referentiel: &Referentiel,
    periode: Periode,
) -> Resultat<BTreeMap<String, Structure>> {
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
/// or unpublished such as the parts of intercommunal QPV) and relations.
struct Systeme<'a> {
    publie: Publie,
    /// The key of each count; `None` for an unpublished part.
    cles: Vec<Option<Cle>>,
    index: HashMap<Cle, usize>,
    effectifs: &'a HashMap<Cle, Chiffre>,
    parts: &'a HashMap<Cle, f64>,
}

impl<'a> Systeme<'a> {
    fn new(effectifs: &'a HashMap<Cle, Chiffre>, parts: &'a HashMap<Cle, f64>) -> Self {
        Systeme {
            publie: Publie::default(),
            cles: Vec::new(),
            index: HashMap::new(),
            effectifs,
            parts,
        }
    }

    /// The count of (`niveau`, `code`, `indicateur`): its published value,
    /// else an unknown.
    fn case(&mut self, niveau: &str, code: &str, indicateur: &str) -> usize {
        let cle = (niveau.to_string(), code.to_string(), indicateur.to_string());
        if let Some(&i) = self.index.get(&cle) {
            return i;
        }
        let valeur = self.effectifs.get(&cle).and_then(|c| c.valeur);
        let i = self.publie.case(valeur);
        self.cles.push(Some(cle.clone()));
        self.index.insert(cle, i);
        i
    }

    /// An unpublished count (the part of a QPV in one of its communes).
    fn inconnue(&mut self) -> usize {
        self.cles.push(None);
        self.publie.case(None)
    }

    /// `numerateur = part × denominateur` where the share of `cle` is
    /// published.
    fn part(&mut self, cle: (&str, &str, &str), numerateur: usize, denominateur: usize) {
        let cle = (cle.0.to_string(), cle.1.to_string(), cle.2.to_string());
        if let Some(&p) = self.parts.get(&cle) {
            self.publie.part(numerateur, denominateur, p);
        }
    }
}

/// The relations of one public `p` in département `d`.
fn relations_du_public(sys: &mut Systeme, d: &str, s: &Structure, p: &str) {
    let pq = format!("{p}{SUFFIXE_QPV}");
    let dep = sys.case(niveaux::DEPARTEMENT, d, &pq);
    let qpv: Vec<usize> = s.qpv.keys().map(|q| sys.case(niveaux::QPV, q, p)).collect();
    sys.publie.somme(dep, &qpv);
    // What each QPV puts in each of its communes.
    let mut contributions: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (communes, &case_q) in s.qpv.values().zip(&qpv) {
        if let [seule] = communes.as_slice() {
            contributions.entry(seule).or_default().push(case_q);
            continue;
        }
        let parties: Vec<usize> = communes.iter().map(|_| sys.inconnue()).collect();
        sys.publie.somme(case_q, &parties);
        for (c, &partie) in communes.iter().zip(&parties) {
            contributions.entry(c).or_default().push(partie);
        }
    }
    let mut par_ept: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (c, siennes) in &contributions {
        if de_la_commune(c).map(|x| x.code) != Some(d) {
            continue;
        }
        let commune = sys.case(niveaux::COMMUNE, c, &pq);
        sys.publie.somme(commune, siennes);
        if let Some(e) = s.ept.get(*c) {
            par_ept.entry(e).or_default().extend(siennes);
        }
    }
    for (e, siennes) in &par_ept {
        let ept = sys.case(niveaux::EPT, e, &pq);
        sys.publie.somme(ept, siennes);
    }
    bornes_et_parts(sys, d, s, p, &par_ept);
}

/// A public within its total, a count in QPV within the territory's, and
/// the published shares, for public `p` in département `d`.
fn bornes_et_parts(
    sys: &mut Systeme,
    d: &str,
    s: &Structure,
    p: &str,
    par_ept: &BTreeMap<&str, Vec<usize>>,
) {
    let pq = format!("{p}{SUFFIXE_QPV}");
    let tous_qpv = format!("{DE_ABC}{SUFFIXE_QPV}");
    let dep_tous_qpv = sys.case(niveaux::DEPARTEMENT, d, &tous_qpv);
    for q in s.qpv.keys() {
        let (x, tous) = (
            sys.case(niveaux::QPV, q, p),
            sys.case(niveaux::QPV, q, DE_ABC),
        );
        if p == DE_ABC {
            sys.part((niveaux::QPV, q, p), x, dep_tous_qpv);
        } else {
            sys.publie.au_plus(x, tous);
            sys.part((niveaux::QPV, q, p), x, tous);
        }
    }
    let communes: BTreeSet<&String> = s
        .qpv
        .values()
        .flatten()
        .filter(|c| de_la_commune(c).map(|x| x.code) == Some(d))
        .collect();
    let territoires: Vec<(&str, String)> = std::iter::once((niveaux::DEPARTEMENT, d.to_string()))
        .chain(communes.into_iter().map(|c| (niveaux::COMMUNE, c.clone())))
        .chain(par_ept.keys().map(|e| (niveaux::EPT, e.to_string())))
        .collect();
    for (niveau, code) in &territoires {
        let x_qpv = sys.case(niveau, code, &pq);
        let x = sys.case(niveau, code, p);
        let tous = sys.case(niveau, code, DE_ABC);
        let tous_en_qpv = sys.case(niveau, code, &tous_qpv);
        sys.publie.au_plus(x_qpv, x);
        if p == DE_ABC {
            sys.part((niveau, code, &pq), x_qpv, x);
        } else {
            sys.publie.au_plus(x, tous);
            sys.publie.au_plus(x_qpv, tous_en_qpv);
            sys.part((niveau, code, &pq), x_qpv, tous_en_qpv);
            sys.part((niveau, code, p), x, tous);
        }
    }
}

/// The disclosures of département `d`.
fn auditer_departement(
    d: &str,
    s: &Structure,
    publics: &[String],
    (effectifs, parts): (&HashMap<Cle, Chiffre>, &HashMap<Cle, f64>),
    seuil: u32,
) -> Resultat<Vec<Divulgation>> {
    let mut sys = Systeme::new(effectifs, parts);
    for p in publics {
        relations_du_public(&mut sys, d, s, p);
    }
    // Only the masked counts are bounded: an unpublished part or a figure
    // not available is an unknown, not a secret.
    let secretes: Vec<usize> = (0..sys.cles.len())
        .filter(|&i| {
            sys.cles[i]
                .as_ref()
                .and_then(|cle| effectifs.get(cle))
                .is_some_and(|c| c.secret)
        })
        .collect();
    let encadrements = encadrer_parmi(&sys.publie, &secretes).map_err(|e| Erreur::Interne {
        contexte: "audit du secret statistique",
        message: format!("département {d} : {e}"),
    })?;
    Ok(failles(&encadrements, seuil)
        .into_iter()
        .filter_map(|f| {
            let case = match f {
                Faille::Epinglee { case, .. } | Faille::Resserree { case, .. } => case,
            };
            let (niveau, code, indicateur) = sys.cles[case].clone()?;
            Some(Divulgation {
                departement: d.to_string(),
                niveau,
                code,
                indicateur,
                faille: f,
            })
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
    let (effectifs, parts) = lire_publies(chemin, periode)?;
    let structures = structures(referentiel, periode)?;
    let departements: BTreeSet<&str> = effectifs
        .keys()
        .filter(|(n, _, _)| n == niveaux::DEPARTEMENT)
        .map(|(_, c, _)| c.as_str())
        .collect();
    let publics: BTreeSet<String> = effectifs
        .keys()
        .filter(|(n, _, i)| n == niveaux::QPV && !i.ends_with(SUFFIXE_QPV))
        .map(|(_, _, i)| i.clone())
        .collect();
    let publics: Vec<String> = publics.into_iter().collect();
    let mut divulgations = Vec::new();
    let vide = Structure::default();
    for d in departements {
        let s = structures.get(d).unwrap_or(&vide);
        divulgations.extend(auditer_departement(
            d,
            s,
            &publics,
            (&effectifs, &parts),
            seuil,
        )?);
    }
    Ok(divulgations)
}

impl std::fmt::Display for Divulgation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let arrondi = |x: f64| crate::format::effectif(x.round());
        write!(
            f,
            "département {} : {} {} ({}), masqué, ",
            self.departement, self.niveau, self.code, self.indicateur
        )?;
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
