//! Missions locales indicators for the year of the reference quarter:
//! young people accompanied and entries into programmes, their part living
//! in QPV, their evolution over a year, and the yearly targets with their
//! rate of achievement. The département's figures are the sums over its
//! structures: one structure's QPV count not available makes the total not
//! available, never a partial sum.

use polars::prelude::*;

use super::expressions::{avec_rang, masquer, ratio, somme, Legere};
use super::{colonnes_sortie, sans_details};
use crate::error::Resultat;
use crate::model::colonnes::*;
use crate::model::{mesures, niveaux, MissionsLocales, SUFFIXE_QPV};

/// The département's rows, `periode` being the year; also the structures'
/// counts, secrecy applied when `seuil` is set.
pub fn calculer(
    ml: &MissionsLocales,
    departement: &str,
    nom_departement: &str,
    annee: i32,
    seuil: Option<u32>,
) -> Resultat<(DataFrame, DataFrame)> {
    let structures = ml
        .mesures
        .clone()
        .lazy()
        .select([
            col("annee"),
            col("code_structure"),
            col("nom_structure"),
            col(INDICATEUR),
            col(VALEUR),
            col(STATUT),
        ])
        .collect()?;
    let effectifs = somme(structures.clone().lazy(), &["annee", INDICATEUR])
        .legere()
        .collect()?;
    let (structures, effectifs) = match seuil {
        Some(s) => super::secret::proteger_missions_locales(structures, effectifs, s)?,
        None => (structures, effectifs),
    };
    let effectifs = effectifs.lazy();
    let a = |an: i32| col("annee").eq(lit(an));

    let courant = effectifs
        .clone()
        .filter(a(annee))
        .with_column(lit(mesures::EFFECTIF).alias(MESURE));

    let precedent = effectifs.clone().filter(a(annee - 1)).select([
        col(INDICATEUR),
        col(VALEUR).alias("v_ref"),
        col(STATUT).alias("s_ref"),
    ]);
    let [v, s] = ratio(
        col(VALEUR) - col("v_ref"),
        col(STATUT),
        col("v_ref"),
        col("s_ref"),
    );
    let evolution = effectifs
        .clone()
        .filter(a(annee))
        .join(
            precedent,
            [col(INDICATEUR)],
            [col(INDICATEUR)],
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col("annee"),
            col(INDICATEUR),
            lit(mesures::EVOLUTION_ANNUELLE).alias(MESURE),
            v,
            s,
        ])
        .with_column(masquer());

    // The part of a programme living in QPV: x_qpv / x.
    let touts = effectifs.clone().filter(a(annee)).select([
        (col(INDICATEUR) + lit(SUFFIXE_QPV)).alias(INDICATEUR),
        col(VALEUR).alias("v_den"),
        col(STATUT).alias("s_den"),
    ]);
    let [v, s] = ratio(col(VALEUR), col(STATUT), col("v_den"), col("s_den"));
    let parts = effectifs
        .clone()
        .filter(a(annee).and(col(INDICATEUR).str().ends_with(lit(SUFFIXE_QPV))))
        .join(
            touts,
            [col(INDICATEUR)],
            [col(INDICATEUR)],
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col("annee"),
            col(INDICATEUR),
            lit(mesures::PART).alias(MESURE),
            v,
            s,
        ])
        .with_column(masquer());

    // Targets from the reference year on, and how far each was reached.
    let objectifs = somme(ml.objectifs.clone().lazy(), &["annee", INDICATEUR])
        .filter(col("annee").gt_eq(lit(annee)));
    let lignes_objectifs = objectifs
        .clone()
        .with_column(lit(mesures::OBJECTIF).alias(MESURE));
    let [v, s] = ratio(col(VALEUR), col(STATUT), col("v_obj"), col("s_obj"));
    let taux = effectifs
        .join(
            objectifs.select([
                col("annee"),
                col(INDICATEUR),
                col(VALEUR).alias("v_obj"),
                col(STATUT).alias("s_obj"),
            ]),
            [col("annee"), col(INDICATEUR)],
            [col("annee"), col(INDICATEUR)],
            JoinArgs::new(JoinType::Inner),
        )
        .select([
            col("annee"),
            col(INDICATEUR),
            lit(mesures::TAUX_REALISATION).alias(MESURE),
            v,
            s,
        ])
        .with_column(masquer());

    let colonnes = [
        col("annee"),
        col(INDICATEUR),
        col(MESURE),
        col(VALEUR),
        col(STATUT),
    ];
    let tout = concat(
        [courant, evolution, parts, lignes_objectifs, taux].map(|lf| lf.select(colonnes.clone())),
        UnionArgs::default(),
    )?;
    let mut ordre: Vec<String> = ml.indicateurs.iter().map(|i| i.to_string()).collect();
    ordre.extend(ml.indicateurs.iter().map(|i| format!("{i}{SUFFIXE_QPV}")));
    let tout = avec_rang(tout, INDICATEUR, &ordre)?;
    let tout = avec_rang(tout, MESURE, &mesures::ORDRE.map(String::from))?;
    let table = tout
        .sort(
            ["annee", "rang_indicateur", "rang_mesure"],
            SortMultipleOptions::default(),
        )
        .with_columns([
            col("annee").cast(DataType::String).alias(PERIODE),
            lit(niveaux::DEPARTEMENT).alias(NIVEAU),
            lit(departement).alias(CODE),
            lit(nom_departement).alias(LIBELLE),
        ])
        .with_columns(sans_details())
        .select(colonnes_sortie())
        .legere()
        .collect()?;
    Ok((table, structures))
}
