//! The QPV table ("21 quartiers accueillant 103 000 habitants"): how many
//! QPV of the period's list and how many inhabitants for the département,
//! each EPT and each commune, and each QPV's population, from the
//! referential (indicator `quartiers`, mesures `nb_qpv` and `population`).
//! Numbers of neighbourhoods and census populations are not counts of
//! people under statistical secrecy: they are never masked. All
//! départements at once ([`Demande`]).

use polars::prelude::*;

use super::expressions::{avec_rang, masquer, SansCse};
use super::territoires::{libelles_des_territoires, qpv_de_la_liste};
use super::{colonnes_sortie, sans_details, Demande};
use crate::erreur::Resultat;
use crate::modele::colonnes::*;
use crate::modele::departements::{expr_departement, Parts};
use crate::modele::{mesures, niveaux, Referentiel, Statut};

/// The département of each row.
const D: &str = DEPARTEMENT_LIGNE;

/// Name of the indicator of the QPV table.
pub const QUARTIERS: &str = "quartiers";

/// Each département's rows of the QPV table, from the marked referential
/// (a QPV lying on two départements counts, whole, in each). Without any
/// population in the referential, only the numbers of QPV.
pub fn calculer(referentiel: &Referentiel, demande: &Demande) -> Resultat<Parts> {
    let population = referentiel.lignes.column("population")?;
    let avec_population = population.null_count() < population.len();
    let qpv = [col(D), col("code_qpv")];
    let lignes = referentiel
        .lignes
        .clone()
        .lazy()
        .filter(qpv_de_la_liste(demande.periode))
        .with_columns([
            col("code_commune")
                .n_unique()
                .over(qpv.clone())?
                .alias("n_communes"),
            col("code_interco")
                .n_unique()
                .over(qpv.clone())?
                .alias("n_interco"),
            // The referential gives the QPV's population on each of its
            // communes' rows.
            col("population").first().over(qpv)?.alias("population"),
        ]);
    let mut groupes = vec![par_quartier(lignes.clone())];
    let du_departement = lignes
        .clone()
        .filter(expr_departement(col("code_commune")).eq(col(D)));
    groupes.push(par_territoire(
        lignes.with_column(col(D).alias("code_dep")),
        "code_dep",
        lit(niveaux::DEPARTEMENT),
        lit(true),
    )?);
    // An EPCI whose QPV lie in several départements: its QPV are not all
    // in the département's cut, no count.
    groupes.push(par_territoire(
        du_departement
            .clone()
            .filter(col("departements_interco").eq(lit(1))),
        "code_interco",
        col("niveau_interco"),
        col("n_interco").eq(lit(1)),
    )?);
    groupes.push(par_territoire(
        du_departement,
        "code_commune",
        lit(niveaux::COMMUNE),
        col("n_communes").eq(lit(1)),
    )?);
    let lignes = concat(groupes, UnionArgs::default())?
        .filter(lit(avec_population).or(col(MESURE).neq(lit(mesures::POPULATION))));
    let libelles = libelles_des_territoires(referentiel.communes_interco()?, demande)?;
    Ok(Parts::new(&ordonner(lignes, libelles, demande)?)?)
}

/// Each QPV once: its population (none counted for a QPV: `nb_qpv` is a
/// territory's), named.
fn par_quartier(lignes: LazyFrame) -> LazyFrame {
    lignes
        .group_by([col(D), col("code_qpv").alias(CODE)])
        .agg([
            col("nom_qpv").first().alias(LIBELLE),
            col("population").first().alias(VALEUR),
        ])
        .with_columns([
            lit(niveaux::QPV).alias(NIVEAU),
            lit(mesures::POPULATION).alias(MESURE),
            statut_si(col(VALEUR).is_null()),
        ])
        .select(selection())
}

/// The QPV of each territory `cle` (at level `niveau`), each once: how many,
/// and their population, not available when a QPV's is not known or when
/// a QPV is not `entier` (wholly in the territory: its inhabitants in the
/// territory are not known).
fn par_territoire(
    lignes: LazyFrame,
    cle: &str,
    niveau: Expr,
    entier: Expr,
) -> PolarsResult<LazyFrame> {
    let groupes = lignes
        .filter(col(cle).is_not_null())
        .with_columns([
            col("population")
                .is_null()
                .or(entier.not())
                .alias("incomplet"),
            niveau.alias(NIVEAU),
        ])
        .unique_stable(
            Some(by_name([D, cle, "code_qpv"], true, false)),
            UniqueKeepStrategy::First,
        )
        .group_by([col(D), col(NIVEAU), col(cle).alias(CODE)])
        .agg([
            len().cast(DataType::Float64).alias("nb"),
            col("population").sum().alias("somme"),
            col("incomplet").any(true).alias("incomplet"),
        ])
        .with_column(lit(NULL).cast(DataType::String).alias(LIBELLE));
    let nombre = groupes.clone().with_columns([
        lit(mesures::NB_QPV).alias(MESURE),
        col("nb").alias(VALEUR),
        statut_si(lit(false)),
    ]);
    let population = groupes.with_columns([
        lit(mesures::POPULATION).alias(MESURE),
        col("somme").alias(VALEUR),
        statut_si(col("incomplet")),
    ]);
    concat(
        [nombre.select(selection()), population.select(selection())],
        UnionArgs::default(),
    )
}

/// `statut`: not available where `nd`, else a value.
fn statut_si(nd: Expr) -> Expr {
    when(nd)
        .then(lit(Statut::NonDisponible.code()))
        .otherwise(lit(Statut::Valeur.code()))
        .cast(DataType::UInt32)
        .alias(STATUT)
}

fn selection() -> [Expr; 7] {
    [D, NIVEAU, CODE, LIBELLE, MESURE, VALEUR, STATUT].map(col)
}

/// The rows in the long table's columns and order, territories named.
fn ordonner(lignes: LazyFrame, libelles: LazyFrame, demande: &Demande) -> PolarsResult<DataFrame> {
    let mut sortie = vec![col(D)];
    sortie.extend(colonnes_sortie());
    let lignes = avec_rang(lignes, NIVEAU, &niveaux::SORTIE.map(String::from))?;
    let lignes = avec_rang(lignes, MESURE, &mesures::ORDRE.map(String::from))?;
    lignes
        .join(
            libelles.select([col(NIVEAU), col(CODE), col(LIBELLE).alias("nom")]),
            [col(NIVEAU), col(CODE)],
            [col(NIVEAU), col(CODE)],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            lit(demande.periode.to_string()).alias(PERIODE),
            lit(QUARTIERS).alias(INDICATEUR),
            col(LIBELLE)
                .fill_null(col("nom"))
                .fill_null(col(CODE))
                .alias(LIBELLE),
        ])
        .with_columns(sans_details())
        .with_column(masquer())
        .sort_by_exprs(
            [col(D), col("rang_niveau"), col(CODE), col("rang_mesure")],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .select(sortie)
        .sans_cse()
        .collect()
}
