//! Statistical secrecy applied to the indicator tables: the counts and the
//! relations between them (`crate::secret` holds the method). Applied to
//! every quarter's counts before evolutions and shares are computed, so
//! that a share or an evolution built on a masked count is masked too.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::modele::colonnes::*;
use crate::modele::{niveaux, Statut};
use crate::secret::audit::{completer, deduites, Cout};
use crate::secret::tables::{Cellule, Chiffre, Ligne, Publication, Structure, Systeme};
use crate::secret::{complementaire, est_primaire, primaire, Bilan, Case};

/// A text column borrowed, a null read as "".
fn textes<'a>(df: &'a DataFrame, colonne: &str) -> PolarsResult<Vec<&'a str>> {
    Ok(df
        .column(colonne)?
        .str()?
        .iter()
        .map(|s| s.unwrap_or(""))
        .collect())
}

/// The quarters of a table's `periode` (as an index), as written in
/// `indicateurs.csv`.
fn trimestres(df: &DataFrame) -> PolarsResult<Vec<String>> {
    Ok(df
        .column(PERIODE)?
        .i32()?
        .iter()
        .map(|p| crate::modele::Periode::depuis_index(p.unwrap_or(0)).to_string())
        .collect())
}

pub(super) fn cellules_de(df: &DataFrame) -> PolarsResult<Vec<Case>> {
    let v = df.column(VALEUR)?.f64()?;
    let s = df.column(STATUT)?.u32()?;
    Ok((0..df.height())
        .map(|i| Case {
            valeur: v.get(i),
            statut: Statut::de_la_case(s.get(i)),
        })
        .collect())
}

/// `df` with its `valeur` and `statut` replaced by `cellules`, row for row.
pub(super) fn remplacer(mut df: DataFrame, cellules: &[Case]) -> PolarsResult<DataFrame> {
    let valeurs: Vec<Option<f64>> = cellules.iter().map(|c| c.valeur).collect();
    let statuts: Vec<u32> = cellules.iter().map(|c| c.statut.code()).collect();
    df.with_column(Column::new(VALEUR.into(), valeurs))?;
    df.with_column(Column::new(STATUT.into(), statuts))?;
    Ok(df)
}

/// How cheap a count is to mask as a complement: the smaller the
/// territory, the cheaper; then the smaller the count.
fn cout_du_niveau(niveau: &str) -> u8 {
    match niveau {
        niveaux::QPV => 0,
        niveaux::COMMUNE | niveaux::MISSION_LOCALE => 1,
        niveaux::EPT | niveaux::EPCI => 2,
        _ => 3,
    }
}

/// Each département's tally, by code.
pub type Bilans = BTreeMap<String, Bilan>;

impl std::ops::AddAssign for Bilan {
    fn add_assign(&mut self, b: Bilan) {
        self.cases += b.cases;
        self.primaires += b.primaires;
        self.complementaires += b.complementaires;
    }
}

/// Statistical secrecy on one département's counts of people `cellules`
/// (each with its key in the linked tables, `secret::tables`), period by
/// period on the structure `structure` gives for it: the counts of 1 to
/// `seuil − 1` masked, then, relation by relation, what subtraction
/// would give away, then, on the whole generated system, complements
/// until the attacker's audit passes (unpublished complements included);
/// what the relation-by-relation pass masked for nothing is published
/// again. The cells returned in the order of `cellules`, with the tally.
pub fn proteger_cellules<'s>(
    cellules: &[(Cellule, Case)],
    structure: &dyn Fn(&str) -> Option<&'s Structure>,
    departement: &str,
    seuil: u32,
) -> PolarsResult<(Vec<Case>, BTreeMap<String, Bilan>)> {
    let mut sortie: Vec<Case> = cellules.iter().map(|(_, c)| *c).collect();
    let mut par_periode: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (k, _)) in cellules.iter().enumerate() {
        par_periode.entry(k.periode.as_str()).or_default().push(i);
    }
    let vide = Structure::default();
    let mut bilans = BTreeMap::new();
    for (periode, lignes) in par_periode {
        let s = structure(periode).unwrap_or(&vide);
        let siennes: Vec<&(Cellule, Case)> = lignes.iter().map(|&i| &cellules[i]).collect();
        let (protegees, b) = proteger_periode(&siennes, s, departement, seuil)?;
        bilans.insert(periode.to_string(), b);
        for (&i, c) in lignes.iter().zip(protegees) {
            sortie[i] = c;
        }
    }
    Ok((sortie, bilans))
}

/// [`proteger_cellules`] for one period's cells.
fn proteger_periode(
    cellules: &[&(Cellule, Case)],
    s: &Structure,
    departement: &str,
    seuil: u32,
) -> PolarsResult<(Vec<Case>, Bilan)> {
    let valeur = |c: &Case| c.valeur.filter(|_| c.statut == Statut::Valeur);
    let mut p = Publication::default();
    for (k, c) in cellules {
        let secret = false;
        let chiffre = Chiffre {
            valeur: valeur(c),
            secret,
        };
        p.effectifs.entry(k.clone()).or_insert(chiffre);
    }
    let mut sys = Systeme::new(departement, s, &p);
    let originales: Vec<Option<f64>> = sys.publie.cases.clone();
    // The complements' true values, where the counts give them.
    let vraies = deduites(&sys.publie);
    let mut cases: Vec<Case> = (0..sys.cles.len())
        .map(|i| match (originales[i], sys.complement(i)) {
            (Some(v), _) => Case {
                valeur: Some(v),
                statut: Statut::Valeur,
            },
            (None, true) => Case {
                valeur: vraies[i],
                statut: match vraies[i] {
                    Some(v) if est_primaire(v, seuil) => Statut::Secret,
                    _ => Statut::NonDisponible,
                },
            },
            (None, false) => Case {
                valeur: None,
                statut: Statut::NonDisponible,
            },
        })
        .collect();
    let publiables: Vec<bool> = originales.iter().map(Option::is_some).collect();
    // Only published counts are masked as primary: a complement's status
    // says already whether it is small.
    let mut avant: Vec<Case> = (0..cases.len())
        .filter(|&i| publiables[i])
        .map(|i| cases[i])
        .collect();
    primaire(&mut avant, seuil);
    let mut a = avant.into_iter();
    for (i, c) in cases.iter_mut().enumerate() {
        if publiables[i] {
            *c = a.next().unwrap_or(*c);
        }
    }
    complementaire(&mut cases, &sys.sommes);
    for (i, c) in cases.iter().enumerate() {
        sys.publie.cases[i] = valeur(c);
    }
    let a_voir: Vec<bool> = (0..cases.len())
        .map(|i| cases[i].statut == Statut::Secret || sys.complement(i))
        .collect();
    let deja = |i: usize| {
        publiables[i]
            && cases[i].statut == Statut::Secret
            && originales[i].is_some_and(|v| !est_primaire(v, seuil))
    };
    let niveaux: Vec<&str> = sys
        .cles
        .iter()
        .map(|k| k.territoire.niveau.as_str())
        .collect();
    // Each independent part of the system (a scheme, an indicator…) on
    // its own: the same masks, far smaller problems.
    for (membres, mut partie) in sys.publie.independants() {
        let mut siennes: Vec<usize> = (0..membres.len()).filter(|&k| a_voir[membres[k]]).collect();
        if siennes.is_empty() {
            continue;
        }
        let avant: Vec<usize> = (0..membres.len()).filter(|&k| deja(membres[k])).collect();
        let valeurs: Vec<Option<f64>> = membres.iter().map(|&i| originales[i]).collect();
        let actuelles = partie.cases.clone();
        let cout = |k: usize| -> Option<Cout> {
            publiables[membres[k]].then_some(())?;
            Some((cout_du_niveau(niveaux[membres[k]]), actuelles[k]?))
        };
        completer(&mut partie, (&valeurs, avant), &mut siennes, &cout, seuil).map_err(
            |e| polars_err!(ComputeError: "secret statistique, département {departement} : {e}"),
        )?;
        for (k, &i) in membres.iter().enumerate() {
            sys.publie.cases[i] = partie.cases[k];
        }
    }
    let mut bilan = Bilan::default();
    let mut publiees = Vec::with_capacity(cellules.len());
    for (k, c) in cellules {
        let masquee = sys.indice(k).is_some_and(|i| sys.publie.cases[i].is_none());
        if c.statut != Statut::Valeur {
            publiees.push(*c);
            continue;
        }
        bilan.cases += 1;
        if !masquee {
            publiees.push(*c);
            continue;
        }
        match c.valeur {
            Some(v) if est_primaire(v, seuil) => bilan.primaires += 1,
            _ => bilan.complementaires += 1,
        }
        publiees.push(Case {
            valeur: None,
            statut: Statut::Secret,
        });
    }
    Ok((publiees, bilan))
}

/// The key of a row of one of the families, by its columns.
pub(super) struct Colonnes<'a> {
    pub periode: Vec<String>,
    pub niveau: Vec<&'a str>,
    pub code: Vec<&'a str>,
    pub indicateur: Vec<&'a str>,
}

impl Colonnes<'_> {
    fn cellule(&self, i: usize, commune: &str) -> Option<Cellule> {
        Cellule::de_la_ligne(&Ligne {
            periode: &self.periode[i],
            niveau: self.niveau[i],
            code: self.code[i],
            commune,
            indicateur: self.indicateur[i],
            categorie: "",
            dispositif: None,
        })
    }
}

/// Rows whose key is `cles[i]` (none: left as they are), protected; the
/// tally of each period.
pub(super) fn proteger_lignes<'s>(
    cles: &[Option<Cellule>],
    cases: &[Case],
    structure: &dyn Fn(&str) -> Option<&'s Structure>,
    departement: &str,
    seuil: u32,
) -> PolarsResult<(Vec<Case>, BTreeMap<String, Bilan>)> {
    let retenues: Vec<usize> = (0..cles.len()).filter(|&i| cles[i].is_some()).collect();
    let cellules: Vec<(Cellule, Case)> = retenues
        .iter()
        .filter_map(|&i| Some((cles[i].clone()?, cases[i])))
        .collect();
    let (protegees, bilans) = proteger_cellules(&cellules, structure, departement, seuil)?;
    let mut sortie = cases.to_vec();
    for (&i, c) in retenues.iter().zip(protegees) {
        sortie[i] = c;
    }
    Ok((sortie, bilans))
}

/// Job-seeker counts. `effectifs`: every level and quarter; `contributions`:
/// what each QPV puts in each of its communes (the parts of the QPV on
/// several communes are counts of their own); `structure`: the
/// département's territories for a quarter (the QPV list changes in
/// 2024). Returns both tables masked, and the tally of quarter
/// `reference` (the one the documents show).
pub fn proteger_demandeurs<'s>(
    (effectifs, contributions): (DataFrame, DataFrame),
    structure: &dyn Fn(&str) -> Option<&'s Structure>,
    (departement, reference): (&str, &str),
    seuil: u32,
) -> PolarsResult<(DataFrame, DataFrame, Bilan)> {
    let e = Colonnes {
        periode: trimestres(&effectifs)?,
        niveau: textes(&effectifs, NIVEAU)?,
        code: textes(&effectifs, CODE)?,
        indicateur: textes(&effectifs, INDICATEUR)?,
    };
    let c_per = trimestres(&contributions)?;
    let (c_qpv, c_com) = (
        textes(&contributions, "code_qpv")?,
        textes(&contributions, "code_commune")?,
    );
    let c = Colonnes {
        periode: c_per.clone(),
        niveau: vec![niveaux::QPV; contributions.height()],
        code: c_qpv.clone(),
        indicateur: textes(&contributions, INDICATEUR)?,
    };
    let multi = |i: usize| {
        structure(&c_per[i])
            .and_then(|s| s.qpv.get(c_qpv[i]))
            .is_some_and(|communes| communes.len() > 1)
    };
    let n = effectifs.height();
    let mut cles: Vec<Option<Cellule>> = (0..n).map(|i| e.cellule(i, "")).collect();
    // A QPV on one commune puts its own count in it.
    let c_cles: Vec<Option<Cellule>> = (0..contributions.height())
        .map(|i| c.cellule(i, if multi(i) { c_com[i] } else { "" }))
        .collect();
    let mut cases = cellules_de(&effectifs)?;
    let c_cases = cellules_de(&contributions)?;
    let a_part: Vec<usize> = (0..c_cles.len()).filter(|&i| multi(i)).collect();
    cles.extend(a_part.iter().map(|&i| c_cles[i].clone()));
    cases.extend(a_part.iter().map(|&i| c_cases[i]));
    let (protegees, bilans) = proteger_lignes(&cles, &cases, structure, departement, seuil)?;
    let bilan = bilans.get(reference).copied().unwrap_or_default();
    let finale: std::collections::HashMap<&Cellule, Case> = cles
        .iter()
        .zip(&protegees)
        .filter_map(|(k, c)| Some((k.as_ref()?, *c)))
        .collect();
    let c_finales: Vec<Case> = c_cles
        .iter()
        .zip(&c_cases)
        .map(|(k, c)| {
            k.as_ref()
                .and_then(|k| finale.get(k))
                .copied()
                .unwrap_or(*c)
        })
        .collect();
    Ok((
        remplacer(effectifs, &protegees[..n])?,
        remplacer(contributions, &c_finales)?,
        bilan,
    ))
}

/// Missions locales: each structure's counts and the département's sums
/// (`annee`, `indicateur` and, for structures, `code_structure`); the
/// tally of year `annee` (the one the documents show).
pub fn proteger_missions_locales(
    structures: DataFrame,
    totaux: DataFrame,
    (departement, annee): (&str, Option<i32>),
    seuil: u32,
) -> PolarsResult<(DataFrame, DataFrame, Bilan)> {
    let annees = |df: &DataFrame| -> PolarsResult<Vec<String>> {
        Ok(df
            .column("annee")?
            .i32()?
            .iter()
            .map(|a| a.unwrap_or(0).to_string())
            .collect())
    };
    let t = Colonnes {
        periode: annees(&totaux)?,
        niveau: vec![niveaux::DEPARTEMENT; totaux.height()],
        code: vec![departement; totaux.height()],
        indicateur: textes(&totaux, INDICATEUR)?,
    };
    let s = Colonnes {
        periode: annees(&structures)?,
        niveau: vec![niveaux::MISSION_LOCALE; structures.height()],
        code: textes(&structures, "code_structure")?,
        indicateur: textes(&structures, INDICATEUR)?,
    };
    let debut = totaux.height();
    let cles: Vec<Option<Cellule>> = (0..debut)
        .map(|i| t.cellule(i, ""))
        .chain((0..structures.height()).map(|i| s.cellule(i, "")))
        .collect();
    let mut cases = cellules_de(&totaux)?;
    cases.extend(cellules_de(&structures)?);
    let aucune = |_: &str| -> Option<&Structure> { None };
    let (protegees, bilans) = proteger_lignes(&cles, &cases, &aucune, departement, seuil)?;
    let bilan = annee
        .and_then(|a| bilans.get(&a.to_string()))
        .copied()
        .unwrap_or_default();
    Ok((
        remplacer(structures, &protegees[debut..])?,
        remplacer(totaux, &protegees[..debut])?,
        bilan,
    ))
}
