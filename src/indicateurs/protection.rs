//! Statistical secrecy applied to the indicator tables: the counts and the
//! relations between them (`crate::secret` holds the method). Applied to
//! every quarter's counts before evolutions and shares are computed, so
//! that a share or an evolution built on a masked count is masked too.

use std::collections::{BTreeMap, HashMap, HashSet};

use polars::prelude::*;

use crate::modele::colonnes::*;
use crate::modele::{niveaux, Statut, SUFFIXE_QPV};
use crate::secret::audit::{completer, Cout};
use crate::secret::systeme::{self, Chiffre, Publies, Structure, Systeme};
use crate::secret::{complementaire, est_primaire, primaire, Case, Relation};

/// A cell's key: period (or year), level, code, indicator.
type Cle<'a> = (i32, &'a str, &'a str, &'a str);

/// A text column borrowed, a null read as "".
fn textes<'a>(df: &'a DataFrame, colonne: &str) -> PolarsResult<Vec<&'a str>> {
    Ok(df
        .column(colonne)?
        .str()?
        .iter()
        .map(|s| s.unwrap_or(""))
        .collect())
}

/// An integer column (the period), a null read as 0.
fn entiers(df: &DataFrame, colonne: &str) -> PolarsResult<Vec<i32>> {
    Ok(df
        .column(colonne)?
        .i32()?
        .iter()
        .map(|p| p.unwrap_or(0))
        .collect())
}

fn cellules_de(df: &DataFrame) -> PolarsResult<Vec<Case>> {
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
fn remplacer(mut df: DataFrame, cellules: &[Case]) -> PolarsResult<DataFrame> {
    let valeurs: Vec<Option<f64>> = cellules.iter().map(|c| c.valeur).collect();
    let statuts: Vec<u32> = cellules.iter().map(|c| c.statut.code()).collect();
    df.with_column(Column::new(VALEUR.into(), valeurs))?;
    df.with_column(Column::new(STATUT.into(), statuts))?;
    Ok(df)
}

/// Groups parts under their total; a relation whose total is not a
/// published cell is no relation.
fn relations(groupes: BTreeMap<Cle, Vec<usize>>, index: &HashMap<Cle, usize>) -> Vec<Relation> {
    groupes
        .into_iter()
        .filter_map(|(total, parties)| index.get(&total).map(|&t| Relation { total: t, parties }))
        .collect()
}

/// What the job-seeker suppression knows of a département's territories:
/// QPV on several communes, the EPT of each QPV lying in one (for the
/// relation-by-relation pass), and the structure the audit's system is
/// built on, quarter by quarter (the QPV list changes in 2024).
pub struct Perimetres<'a> {
    pub multi: &'a HashSet<String>,
    pub ept_de: &'a HashMap<String, String>,
    pub structure: &'a dyn Fn(i32) -> Option<&'a Structure>,
}

/// How cheap a count is to mask as a complement: the smaller the
/// territory, the cheaper; then the smaller the count.
fn cout_du_niveau(niveau: &str) -> u8 {
    match niveau {
        niveaux::QPV => 0,
        niveaux::COMMUNE => 1,
        niveaux::EPT => 2,
        _ => 3,
    }
}

/// A closure building a period's system, its lifetime spelled out.
fn systeme_de<F>(f: F) -> F
where
    F: for<'p> Fn(i32, &'p Publies) -> Option<Systeme<'p>>,
{
    f
}

/// The global pass, period by period: the attacker's system of what the
/// period publishes (`systeme`, given the period and the counts), and
/// complements masked until it gives nothing away ([`completer`]); the
/// complements of the relation-by-relation pass that it does not need are
/// published again (`originales`: the cells before any masking).
/// `cles`: each cell's period and key.
fn completer_globalement(
    (cellules, originales): (&mut [Case], &[Case]),
    cles: &[(i32, systeme::Cle)],
    departement: &str,
    systeme: &dyn for<'p> Fn(i32, &'p Publies) -> Option<Systeme<'p>>,
    seuil: u32,
) -> PolarsResult<()> {
    let mut par_periode: BTreeMap<i32, HashMap<&systeme::Cle, usize>> = BTreeMap::new();
    for (k, (periode, cle)) in cles.iter().enumerate() {
        par_periode.entry(*periode).or_default().insert(cle, k);
    }
    for (periode, index) in par_periode {
        if !index
            .values()
            .any(|&k| cellules[k].statut == Statut::Secret)
        {
            continue;
        }
        let publies = Publies {
            effectifs: index
                .iter()
                .map(|(cle, &k)| {
                    let c = cellules[k];
                    let valeur = c.valeur.filter(|_| c.statut == Statut::Valeur);
                    let chiffre = Chiffre {
                        valeur,
                        secret: c.statut == Statut::Secret,
                    };
                    ((*cle).clone(), chiffre)
                })
                .collect(),
            parts: HashMap::new(),
        };
        let Some(mut sys) = systeme(periode, &publies) else {
            continue;
        };
        let cellule: Vec<Option<usize>> = sys.cles.iter().map(|c| index.get(c).copied()).collect();
        let secretes: Vec<usize> = (0..cellule.len()).filter(|&i| sys.secret(i)).collect();
        let niveaux: Vec<&str> = sys.cles.iter().map(|c| c.0.as_str()).collect();
        completer_systeme(
            (&mut sys.publie, secretes),
            (&cellule, &niveaux),
            (cellules, originales),
            departement,
            seuil,
        )?;
    }
    Ok(())
}

/// The global pass over one linear system `publie` whose counts
/// `secretes` are masked: `cellule[i]`, the cell of its count `i` (none
/// for an unpublished one), `niveaux[i]` its level (the cost of masking
/// it). The cells masked are written in `cellules`; the complements the
/// relation-by-relation pass masked that it does not need are published
/// again (from `originales`).
pub(super) fn completer_systeme(
    (publie, mut secretes): (&mut crate::secret::audit::Publie, Vec<usize>),
    (cellule, niveaux): (&[Option<usize>], &[&str]),
    (cellules, originales): (&mut [Case], &[Case]),
    departement: &str,
    seuil: u32,
) -> PolarsResult<()> {
    let valeurs: Vec<Option<f64>> = cellule
        .iter()
        .map(|k| k.and_then(|k| originales[k].valeur))
        .collect();
    let deja: Vec<usize> = secretes
        .iter()
        .copied()
        .filter(|&i| valeurs[i].is_some_and(|v| !est_primaire(v, seuil)))
        .collect();
    let publiees: Vec<Option<f64>> = cellule
        .iter()
        .map(|k| {
            let c = cellules[(*k)?];
            c.valeur.filter(|_| c.statut == Statut::Valeur)
        })
        .collect();
    let cout = |i: usize| -> Option<Cout> { Some((cout_du_niveau(niveaux[i]), publiees[i]?)) };
    let masquees = completer(
        publie,
        (&valeurs, deja.clone()),
        &mut secretes,
        &cout,
        seuil,
    )
    .map_err(
        |e| polars_err!(ComputeError: "secret statistique, département {departement} : {e}"),
    )?;
    for i in deja.iter().filter(|i| !masquees.contains(i)) {
        if let Some(k) = cellule[*i] {
            cellules[k] = originales[k];
        }
    }
    for i in masquees.into_iter().filter_map(|i| cellule[i]) {
        cellules[i] = Case {
            valeur: None,
            statut: Statut::Secret,
        };
    }
    Ok(())
}

/// A QPV's count is a part of its département's and of its EPT's (QPV
/// lying in one EPT, `ept_de`), by index into the rows of `effectifs`.
fn relations_des_qpv(
    effectifs: &DataFrame,
    index: &HashMap<Cle, usize>,
    ept_de: &HashMap<String, String>,
    departement: &str,
) -> PolarsResult<Vec<Relation>> {
    let per = entiers(effectifs, PERIODE)?;
    let (niv, code, ind) = (
        textes(effectifs, NIVEAU)?,
        textes(effectifs, CODE)?,
        textes(effectifs, INDICATEUR)?,
    );
    let suffixes: Vec<String> = ind.iter().map(|i| format!("{i}{SUFFIXE_QPV}")).collect();
    let mut dep: BTreeMap<Cle, Vec<usize>> = BTreeMap::new();
    let mut ept: BTreeMap<Cle, Vec<usize>> = BTreeMap::new();
    for i in (0..effectifs.height()).filter(|&i| niv[i] == niveaux::QPV) {
        let cle = |niveau, code| (per[i], niveau, code, suffixes[i].as_str());
        dep.entry(cle(niveaux::DEPARTEMENT, departement))
            .or_default()
            .push(i);
        if let Some(e) = ept_de.get(code[i]) {
            ept.entry(cle(niveaux::EPT, e.as_str()))
                .or_default()
                .push(i);
        }
    }
    let mut toutes = relations(dep, index);
    toutes.extend(relations(ept, index));
    Ok(toutes)
}

/// The global pass over the job-seeker cells: the rows of `effectifs`,
/// then the parts of the intercommunal QPV (`multi`, row by row of
/// `contributions`), each with its quarter and key; the audit's system of
/// each quarter on the département's structure.
fn completer_demandeurs(
    cellules: (&mut [Case], &[Case]),
    (effectifs, contributions): (&DataFrame, &DataFrame),
    multi: &[bool],
    perimetres: &Perimetres,
    (departement, seuil): (&str, u32),
) -> PolarsResult<()> {
    let per = entiers(effectifs, PERIODE)?;
    let (niv, code, ind) = (
        textes(effectifs, NIVEAU)?,
        textes(effectifs, CODE)?,
        textes(effectifs, INDICATEUR)?,
    );
    let c_per = entiers(contributions, PERIODE)?;
    let (c_qpv, c_com, c_ind) = (
        textes(contributions, "code_qpv")?,
        textes(contributions, "code_commune")?,
        textes(contributions, INDICATEUR)?,
    );
    let mut cles: Vec<(i32, systeme::Cle)> = (0..effectifs.height())
        .map(|i| (per[i], systeme::cle(niv[i], code[i], ind[i])))
        .collect();
    cles.extend(
        (0..contributions.height())
            .filter(|&i| multi[i])
            .map(|i| (c_per[i], systeme::cle_partie(c_qpv[i], c_com[i], c_ind[i]))),
    );
    let systeme = systeme_de(|periode, publies| {
        let s = (perimetres.structure)(periode)?;
        Some(Systeme::new(departement, s, publies))
    });
    completer_globalement(cellules, &cles, departement, &systeme, seuil)
}

/// Job-seeker counts. `effectifs`: every level and quarter; `contributions`:
/// what each QPV puts in each of its communes. Returns both tables masked.
pub fn proteger_demandeurs(
    effectifs: DataFrame,
    contributions: DataFrame,
    perimetres: &Perimetres,
    departement: &str,
    seuil: u32,
) -> PolarsResult<(DataFrame, DataFrame)> {
    let Perimetres { multi, ept_de, .. } = *perimetres;
    let per = entiers(&effectifs, PERIODE)?;
    let (niv, code, ind) = (
        textes(&effectifs, NIVEAU)?,
        textes(&effectifs, CODE)?,
        textes(&effectifs, INDICATEUR)?,
    );
    // The indicators "in QPV" the totals are kept under.
    let suffixes: HashMap<&str, String> = ind
        .iter()
        .map(|i| (*i, format!("{i}{SUFFIXE_QPV}")))
        .collect();
    let suffixe = |i: &str| suffixes.get(i).map(String::as_str).unwrap_or("");
    let mut cellules = cellules_de(&effectifs)?;
    let index: HashMap<Cle, usize> = (0..effectifs.height())
        .map(|i| ((per[i], niv[i], code[i], ind[i]), i))
        .collect();
    // Parts of intercommunal QPV in their communes are cells of their
    // own.
    let c_per = entiers(&contributions, PERIODE)?;
    let (c_qpv, c_com, c_ind) = (
        textes(&contributions, "code_qpv")?,
        textes(&contributions, "code_commune")?,
        textes(&contributions, INDICATEUR)?,
    );
    let c_multi: Vec<bool> = c_qpv.iter().map(|q| multi.contains(*q)).collect();
    let c_cellules = cellules_de(&contributions)?;
    let mut cellule_de_contribution = Vec::with_capacity(contributions.height());
    for i in 0..contributions.height() {
        if c_multi[i] {
            cellules.push(c_cellules[i]);
            cellule_de_contribution.push(Some(cellules.len() - 1));
        } else {
            cellule_de_contribution.push(
                index
                    .get(&(c_per[i], niveaux::QPV, c_qpv[i], c_ind[i]))
                    .copied(),
            );
        }
    }
    // A contribution is a part of its commune's QPV count, and an
    // intercommunal QPV's part a part of the whole QPV.
    let mut commune: BTreeMap<Cle, Vec<usize>> = BTreeMap::new();
    let mut qpv_entier: BTreeMap<Cle, Vec<usize>> = BTreeMap::new();
    for (i, cellule) in cellule_de_contribution.iter().enumerate() {
        let Some(cellule) = *cellule else {
            continue;
        };
        commune
            .entry((c_per[i], niveaux::COMMUNE, c_com[i], suffixe(c_ind[i])))
            .or_default()
            .push(cellule);
        if c_multi[i] {
            qpv_entier
                .entry((c_per[i], niveaux::QPV, c_qpv[i], c_ind[i]))
                .or_default()
                .push(cellule);
        }
    }
    let mut toutes = relations_des_qpv(&effectifs, &index, ept_de, departement)?;
    toutes.extend(relations(commune, &index));
    toutes.extend(relations(qpv_entier, &index));

    let originales = cellules.clone();
    primaire(&mut cellules, seuil);
    complementaire(&mut cellules, &toutes);
    completer_demandeurs(
        (&mut cellules, &originales),
        (&effectifs, &contributions),
        &c_multi,
        perimetres,
        (departement, seuil),
    )?;

    let c_finales: Vec<Case> = cellule_de_contribution
        .iter()
        .zip(&c_cellules)
        .map(|(k, c)| k.map(|k| cellules[k]).unwrap_or(*c))
        .collect();
    cellules.truncate(effectifs.height());
    Ok((
        remplacer(effectifs, &cellules)?,
        remplacer(contributions, &c_finales)?,
    ))
}

/// Missions locales: each structure's counts and the département's sums
/// (`annee`, `indicateur` and, for structures, `code_structure`).
pub fn proteger_missions_locales(
    structures: DataFrame,
    totaux: DataFrame,
    departement: &str,
    seuil: u32,
) -> PolarsResult<(DataFrame, DataFrame)> {
    let t_an = totaux.column("annee")?.i32()?;
    let t_ind = textes(&totaux, INDICATEUR)?;
    let mut cellules = cellules_de(&totaux)?;
    let mut index: HashMap<Cle, usize> = HashMap::new();
    for (i, ind) in t_ind.iter().enumerate() {
        index.insert((t_an.get(i).unwrap_or(0), "", "", *ind), i);
    }
    let s_an = structures.column("annee")?.i32()?;
    let s_ind = textes(&structures, INDICATEUR)?;
    let debut = cellules.len();
    cellules.extend(cellules_de(&structures)?);
    let mut groupes: BTreeMap<Cle, Vec<usize>> = BTreeMap::new();
    for (i, ind) in s_ind.iter().enumerate() {
        groupes
            .entry((s_an.get(i).unwrap_or(0), "", "", *ind))
            .or_default()
            .push(debut + i);
    }
    let rel = relations(groupes, &index);
    let originales = cellules.clone();
    primaire(&mut cellules, seuil);
    complementaire(&mut cellules, &rel);
    let s_code = textes(&structures, "code_structure")?;
    let mut cles: Vec<(i32, systeme::Cle)> = t_ind
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let an = t_an.get(i).unwrap_or(0);
            (an, systeme::cle(niveaux::DEPARTEMENT, departement, ind))
        })
        .collect();
    cles.extend(s_ind.iter().enumerate().map(|(i, ind)| {
        let an = s_an.get(i).unwrap_or(0);
        (an, systeme::cle(niveaux::MISSION_LOCALE, s_code[i], ind))
    }));
    let mut codes: Vec<String> = s_code.iter().map(|c| c.to_string()).collect();
    codes.sort();
    codes.dedup();
    let systeme =
        systeme_de(|_, publies| Some(Systeme::missions_locales(departement, &codes, publies)));
    completer_globalement(
        (&mut cellules, &originales),
        &cles,
        departement,
        &systeme,
        seuil,
    )?;
    Ok((
        remplacer(structures, &cellules[debut..])?,
        remplacer(totaux, &cellules[..debut])?,
    ))
}
