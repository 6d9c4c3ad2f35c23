//! Missions locales indicators for the year of the reference quarter:
//! young people accompanied and entries into programmes, their part living
//! in QPV, their evolution over a year, and the yearly targets with their
//! rate of achievement. A département's figures are the sums over its
//! structures: one structure's QPV count not available makes the total not
//! available, never a partial sum.

use std::collections::HashMap;

use polars::prelude::*;

use super::expressions::{avec_rang, masquer, ratio, somme, SansCse};
use super::protection::Bilans;
use super::{colonnes_sortie, sans_details, Demande};
use crate::erreur::Resultat;
use crate::modele::colonnes::*;
use crate::modele::departements::Parts;
use crate::modele::{mesures, niveaux, MissionsLocales, SUFFIXE_QPV};

/// The département of each row.
const D: &str = DEPARTEMENT_LIGNE;

/// Each département's reference year, the latest its export holds up to
/// the quarter's year (a 2025T3 annex shows 2024's figures when 2025's are
/// not out yet).
const REFERENCE: &str = "annee_reference";

/// Each département's rows, `periode` being its reference year, its
/// structures' counts, secrecy applied when the demand has a threshold,
/// and its reference year ([`annees_de_reference`]). `ml` is marked
/// ([`Demande`]); a département without missions locales rows gets empty
/// tables.
pub fn calculer(
    ml: &MissionsLocales,
    demande: &Demande,
) -> Resultat<(Parts, Parts, Parts, Option<Bilans>)> {
    let references = annees_de_reference(ml, demande.periode.annee)?;
    let (structures, effectifs, bilans) = effectifs_proteges(ml, &references, demande)?;
    let effectifs = effectifs
        .lazy()
        .join(
            references.clone().lazy(),
            [col(D)],
            [col(D)],
            JoinArgs::new(JoinType::Inner),
        )
        .sans_cse();
    let courant = effectifs
        .clone()
        .filter(de_l_annee(0))
        .with_column(lit(mesures::EFFECTIF).alias(MESURE));
    let lignes = [courant, evolution(&effectifs), parts(&effectifs)]
        .into_iter()
        .chain(objectifs(ml, &effectifs, &references))
        .collect::<Vec<_>>();
    let table = ordonner(lignes, ml, demande)?;
    Ok((
        Parts::new(&table)?,
        Parts::new(&structures)?,
        Parts::new(&references)?,
        bilans,
    ))
}

/// `departement`, [`REFERENCE`]: the latest year of each département's
/// missions-locales rows up to `an`.
fn annees_de_reference(ml: &MissionsLocales, an: i32) -> Resultat<DataFrame> {
    Ok(ml
        .mesures
        .clone()
        .lazy()
        .filter(col("annee").lt_eq(lit(an)))
        .group_by([col(D)])
        .agg([col("annee").max().alias(REFERENCE)])
        .sort([D], SortMultipleOptions::default())
        .collect()?)
}

/// The reference year of a département's [`annees_de_reference`] row.
pub fn annee(reference: &DataFrame) -> Resultat<Option<i32>> {
    Ok(reference.column(REFERENCE)?.i32()?.get(0))
}

/// The rows `decalage` years before the département's reference year.
fn de_l_annee(decalage: i32) -> Expr {
    col("annee").eq(col(REFERENCE) - lit(decalage))
}

/// Each structure's counts and the départements' sums, secrecy applied,
/// with what each département's year of `references` masked.
fn effectifs_proteges(
    ml: &MissionsLocales,
    references: &DataFrame,
    demande: &Demande,
) -> Resultat<(DataFrame, DataFrame, Option<Bilans>)> {
    let annee_de: HashMap<String, i32> = references
        .column(D)?
        .str()?
        .iter()
        .zip(references.column(REFERENCE)?.i32()?.iter())
        .filter_map(|(d, a)| Some((d?.to_string(), a?)))
        .collect();
    let structures = ml
        .mesures
        .clone()
        .lazy()
        .select([
            col(D),
            col("annee"),
            col("code_structure"),
            col("nom_structure"),
            col(INDICATEUR),
            col(VALEUR),
            col(STATUT),
        ])
        .collect()?;
    let effectifs = somme(structures.clone().lazy(), &[D, "annee", INDICATEUR])
        .sans_cse()
        .collect()?;
    match demande.seuil_secret {
        Some(s) => {
            let (a, b, bilans) = super::proteger_par_departement(
                &structures,
                &effectifs,
                &demande.codes(),
                |dep, structures, effectifs| {
                    let annee = annee_de.get(dep).copied();
                    let d = (dep, annee);
                    super::protection::proteger_missions_locales(structures, effectifs, d, s)
                },
            )?;
            Ok((a, b, Some(bilans)))
        }
        None => Ok((structures, effectifs, None)),
    }
}

/// Evolution over a year: (x(Y) − x(Y−1)) / x(Y−1).
fn evolution(effectifs: &LazyFrame) -> LazyFrame {
    let par_indicateur = [col(D), col(INDICATEUR)];
    let precedent = effectifs.clone().filter(de_l_annee(1)).select([
        col(D),
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
    effectifs
        .clone()
        .filter(de_l_annee(0))
        .join(
            precedent,
            par_indicateur.clone(),
            par_indicateur,
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col(D),
            col("annee"),
            col(INDICATEUR),
            lit(mesures::EVOLUTION_ANNUELLE).alias(MESURE),
            v,
            s,
        ])
        .with_column(masquer())
}

/// The part of a programme living in QPV: x_qpv / x.
fn parts(effectifs: &LazyFrame) -> LazyFrame {
    let par_indicateur = [col(D), col(INDICATEUR)];
    let touts = effectifs.clone().filter(de_l_annee(0)).select([
        col(D),
        (col(INDICATEUR) + lit(SUFFIXE_QPV)).alias(INDICATEUR),
        col(VALEUR).alias("v_den"),
        col(STATUT).alias("s_den"),
    ]);
    let [v, s] = ratio(col(VALEUR), col(STATUT), col("v_den"), col("s_den"));
    effectifs
        .clone()
        .filter(de_l_annee(0).and(col(INDICATEUR).str().ends_with(lit(SUFFIXE_QPV))))
        .join(
            touts,
            par_indicateur.clone(),
            par_indicateur,
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col(D),
            col("annee"),
            col(INDICATEUR),
            lit(mesures::PART).alias(MESURE),
            v,
            s,
        ])
        .with_column(masquer())
}

/// Targets from the reference year on, and how far each was reached.
fn objectifs(
    ml: &MissionsLocales,
    effectifs: &LazyFrame,
    references: &DataFrame,
) -> [LazyFrame; 2] {
    let objectifs = somme(ml.objectifs.clone().lazy(), &[D, "annee", INDICATEUR])
        .join(
            references.clone().lazy(),
            [col(D)],
            [col(D)],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("annee").gt_eq(col(REFERENCE)));
    let lignes_objectifs = objectifs
        .clone()
        .with_column(lit(mesures::OBJECTIF).alias(MESURE));
    let [v, s] = ratio(col(VALEUR), col(STATUT), col("v_obj"), col("s_obj"));
    let par_annee = [col(D), col("annee"), col(INDICATEUR)];
    let taux = effectifs
        .clone()
        .join(
            objectifs.select([
                col(D),
                col("annee"),
                col(INDICATEUR),
                col(VALEUR).alias("v_obj"),
                col(STATUT).alias("s_obj"),
            ]),
            par_annee.clone(),
            par_annee,
            JoinArgs::new(JoinType::Inner),
        )
        .select([
            col(D),
            col("annee"),
            col(INDICATEUR),
            lit(mesures::TAUX_REALISATION).alias(MESURE),
            v,
            s,
        ])
        .with_column(masquer());
    [lignes_objectifs, taux]
}

/// The rows in the long table's columns and order: by département, year,
/// indicator (the whole, then the QPV part) and measure.
fn ordonner(
    lignes: Vec<LazyFrame>,
    ml: &MissionsLocales,
    demande: &Demande,
) -> Resultat<DataFrame> {
    let colonnes = [
        col(D),
        col("annee"),
        col(INDICATEUR),
        col(MESURE),
        col(VALEUR),
        col(STATUT),
    ];
    let tout = concat(
        lignes
            .into_iter()
            .map(|lf| lf.select(colonnes.clone()))
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?;
    let mut ordre: Vec<String> = ml.indicateurs.iter().map(|i| i.to_string()).collect();
    ordre.extend(ml.indicateurs.iter().map(|i| format!("{i}{SUFFIXE_QPV}")));
    let tout = avec_rang(tout, INDICATEUR, &ordre)?;
    let tout = avec_rang(tout, MESURE, &mesures::ORDRE.map(String::from))?;
    let mut sortie = vec![col(D)];
    sortie.extend(colonnes_sortie());
    Ok(tout
        .join(
            demande.noms()?,
            [col(D)],
            [col(D)],
            JoinArgs::new(JoinType::Left),
        )
        .sort(
            [D, "annee", "rang_indicateur", "rang_mesure"],
            SortMultipleOptions::default(),
        )
        .with_columns([
            col("annee").cast(DataType::String).alias(PERIODE),
            lit(niveaux::DEPARTEMENT).alias(NIVEAU),
            col(D).alias(CODE),
        ])
        .with_columns(sans_details())
        .select(sortie)
        .sans_cse()
        .collect()?)
}
