//! The structure of a département from its referential: its communes that
//! have a QPV of the period's list, each with its QPV, and the communes of
//! each QPV. No count: what the documents need to lay out their tables,
//! so that rendering never reads the referential itself.

use std::collections::HashMap;

use polars::prelude::*;

use super::Demande;
use crate::modele::colonnes::*;
use crate::modele::departements::expr_departement;
use crate::modele::niveaux;
use crate::modele::{Periode, Referentiel};

/// A QPV of a commune: code, name, and whether it spans other communes.
#[derive(Debug, Clone)]
pub struct Quartier {
    pub code: String,
    pub nom: String,
    pub intercommunal: bool,
}

/// A commune of the département that has a QPV of the period's list: it
/// gets its own documents.
#[derive(Debug, Clone)]
pub struct CommuneQpv {
    pub code: String,
    pub nom: String,
    /// Its intercommunality (level `ept` or `epci`, code), when known.
    pub interco: Option<(String, String)>,
    pub quartiers: Vec<Quartier>,
}

/// The département's structure, for the documents.
#[derive(Debug, Clone, Default)]
pub struct Territoires {
    /// Communes with a QPV of the period's list, by code.
    pub communes: Vec<CommuneQpv>,
    /// Communes of each QPV, "Asnières-sur-Seine, Gennevilliers".
    pub communes_des_qpv: HashMap<String, String>,
    /// The first commune of the département written for each QPV (the
    /// referential's order): an intercommunal QPV is listed under it.
    pub premiere_commune: HashMap<String, String>,
    /// Whether INSEE's composition of the EPCI was given: else an EPCI's
    /// totals (funding) count only its communes with a QPV.
    pub composition_epci: bool,
}

/// Referential rows of a QPV of the period's list (2015 or 2024
/// generation): a commune with one gets its documents.
pub(super) fn qpv_de_la_liste(periode: Periode) -> Expr {
    col("code_qpv")
        .str()
        .starts_with(lit(periode.generation().prefixe()))
}

/// The structure of the département `departement` from its cut of the
/// referential (an intercommunal QPV with all its communes).
pub fn territoires(
    referentiel: &Referentiel,
    departement: &str,
    periode: Periode,
) -> PolarsResult<Territoires> {
    Ok(Territoires {
        communes: communes(referentiel, departement, periode)?,
        communes_des_qpv: communes_des_qpv(referentiel)?,
        premiere_commune: premieres_communes(referentiel, departement)?,
        composition_epci: referentiel.composition_connue(niveaux::EPCI),
    })
}

/// How many documents a run writes for the départements `codes`: each
/// annex's workbook and PDF, and those of every commune with a QPV of the
/// period's list (as [`territoires`] finds them), for the progress bar.
pub fn nombre_de_documents(
    referentiel: &Referentiel,
    periode: Periode,
    codes: &[String],
) -> PolarsResult<u64> {
    let par_departement = referentiel
        .lignes
        .clone()
        .lazy()
        .filter(qpv_de_la_liste(periode))
        .group_by([expr_departement(col("code_commune")).alias("dep")])
        .agg([col("code_commune").n_unique().alias("n")])
        .collect()?;
    let (deps, n) = (
        par_departement.column("dep")?.str()?,
        par_departement.column("n")?.cast(&DataType::UInt64)?,
    );
    let communes: u64 = deps
        .iter()
        .zip(n.u64()?.iter())
        .filter(|(d, _)| d.is_some_and(|d| codes.iter().any(|c| c == d)))
        .filter_map(|(_, n)| n)
        .sum();
    Ok(2 * (codes.len() as u64 + communes))
}

/// Communes of the département with a QPV of the period's list, by code.
fn communes(
    referentiel: &Referentiel,
    departement: &str,
    periode: Periode,
) -> PolarsResult<Vec<CommuneQpv>> {
    let r = referentiel
        .lignes
        .clone()
        .lazy()
        .with_column(
            col("code_commune")
                .n_unique()
                .over([col("code_qpv")])?
                .alias("n_communes"),
        )
        .filter(
            col("code_commune")
                .str()
                .starts_with(lit(departement))
                .and(qpv_de_la_liste(periode)),
        )
        .sort(["code_commune", "code_qpv"], SortMultipleOptions::default())
        .collect()?;
    let (codes, noms, qpv, noms_qpv) = (
        r.column("code_commune")?.str()?,
        r.column("nom_commune")?.str()?,
        r.column("code_qpv")?.str()?,
        r.column("nom_qpv")?.str()?,
    );
    let (niveaux_interco, intercos) = (
        r.column("niveau_interco")?.str()?,
        r.column("code_interco")?.str()?,
    );
    let n = r.column("n_communes")?.cast(&DataType::UInt32)?;
    let n = n.u32()?;
    let mut sortie: Vec<CommuneQpv> = Vec::new();
    for i in 0..r.height() {
        let code = codes.get(i).unwrap_or("").to_string();
        let quartier = Quartier {
            code: qpv.get(i).unwrap_or("").to_string(),
            nom: noms_qpv.get(i).unwrap_or("").to_string(),
            intercommunal: n.get(i).unwrap_or(1) > 1,
        };
        match sortie.last_mut() {
            Some(c) if c.code == code => {
                if !c.quartiers.iter().any(|x| x.code == quartier.code) {
                    c.quartiers.push(quartier)
                }
            }
            _ => sortie.push(CommuneQpv {
                nom: noms.get(i).unwrap_or(&code).to_string(),
                code,
                interco: niveaux_interco
                    .get(i)
                    .zip(intercos.get(i))
                    .map(|(n, c)| (n.to_string(), c.to_string())),
                quartiers: vec![quartier],
            }),
        }
    }
    Ok(sortie)
}

/// The first commune of `departement` written for each QPV.
fn premieres_communes(
    referentiel: &Referentiel,
    departement: &str,
) -> PolarsResult<HashMap<String, String>> {
    let r = &referentiel.lignes;
    let (codes, communes) = (
        r.column("code_qpv")?.str()?,
        r.column("code_commune")?.str()?,
    );
    let mut premieres = HashMap::new();
    for (q, c) in codes.iter().zip(communes.iter()) {
        if let (Some(q), Some(c)) = (q, c) {
            if c.starts_with(departement) {
                premieres
                    .entry(q.to_string())
                    .or_insert_with(|| c.to_string());
            }
        }
    }
    Ok(premieres)
}

/// Communes of each QPV, "Asnières-sur-Seine, Gennevilliers".
fn communes_des_qpv(referentiel: &Referentiel) -> PolarsResult<HashMap<String, String>> {
    let r = &referentiel.lignes;
    let codes = r.column("code_qpv")?.str()?;
    let noms = r.column("nom_commune")?.str()?;
    let communes = r.column("code_commune")?.str()?;
    let mut par_qpv: HashMap<String, Vec<String>> = HashMap::new();
    for i in 0..r.height() {
        let nom = noms.get(i).or(communes.get(i)).unwrap_or("").to_string();
        let liste = par_qpv
            .entry(codes.get(i).unwrap_or("").to_string())
            .or_default();
        if !liste.contains(&nom) {
            liste.push(nom);
        }
    }
    Ok(par_qpv
        .into_iter()
        .map(|(k, v)| (k, v.join(", ")))
        .collect())
}

/// Names of the territories, by `niveau` and `code`: the département's
/// from the run's settings, the communes' and intercommunalities' from the
/// referential.
pub(super) fn libelles_des_territoires(
    communes: LazyFrame,
    demande: &Demande,
) -> PolarsResult<LazyFrame> {
    Ok(concat(
        [
            communes.clone().select([
                lit(niveaux::COMMUNE).alias(NIVEAU),
                col("code_commune").alias(CODE),
                col("nom_commune").alias(LIBELLE),
            ]),
            communes.select([
                col("niveau_interco").alias(NIVEAU),
                col("code_interco").alias(CODE),
                col("nom_interco").alias(LIBELLE),
            ]),
            demande.noms()?.select([
                lit(niveaux::DEPARTEMENT).alias(NIVEAU),
                col(DEPARTEMENT_LIGNE).alias(CODE),
                col(LIBELLE),
            ]),
        ],
        UnionArgs::default(),
    )?
    .filter(col(CODE).is_not_null())
    .unique_stable(
        Some(by_name([NIVEAU, CODE], true, false)),
        UniqueKeepStrategy::First,
    ))
}
