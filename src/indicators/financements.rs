//! Funding indicators: number of dossiers and amounts by dispositif × wave
//! × localisation × dossier status, for the département, each EPT and each
//! commune. A dossier without a commune counts for the département only;
//! an EPT holds the dossiers of the communes the QPV referential places in
//! it. All départements at once ([`Demande`]).

use polars::prelude::*;

use super::expressions::{avec_rang, masquer, SansCse};
use super::{colonnes_sortie, Demande};
use crate::error::Resultat;
use crate::model::colonnes::*;
use crate::model::departements::Parts;
use crate::model::{
    mesures, niveaux, Financements, Referentiel, Statut, LOCALISATIONS, STATUTS_DOSSIER,
};

/// The département of each row.
const D: &str = DEPARTEMENT_LIGNE;

/// Name of the funding indicator; what it is about is in the detail columns.
pub const FINANCEMENTS: &str = "financements";

/// Each département's funding rows. `f` is marked ([`Demande`]);
/// `referentiel` is the national one, whose communes place each dossier in
/// its EPT and name the territories.
pub fn calculer(f: &Financements, referentiel: &Referentiel, demande: &Demande) -> Resultat<Parts> {
    let dossiers = f.dossiers.clone().lazy().filter(
        col("code_commune")
            .is_null()
            .or(col("code_commune").str().starts_with(col(D))),
    );
    let details = [DISPOSITIF, VAGUE, LOCALISATION, STATUT_DOSSIER];
    let agreger = |lf: LazyFrame, niveau: &str| {
        let mut cles: Vec<Expr> = vec![col(D), col(CODE)];
        cles.extend(details.map(col));
        lf.group_by(cles)
            .agg([
                len().cast(DataType::Float64).alias("nb"),
                col("montant_eur").sum(),
                col(STATUT).max(),
            ])
            .with_column(lit(niveau.to_string()).alias(NIVEAU))
    };
    // Every commune of an EPT counts in it, with a QPV or not (INSEE's
    // composition when given).
    let communes = referentiel.communes_ept()?;
    let departemental = agreger(
        dossiers.clone().with_column(col(D).alias(CODE)),
        niveaux::DEPARTEMENT,
    );
    let par_commune = agreger(
        dossiers
            .clone()
            .filter(col("code_commune").is_not_null())
            .with_column(col("code_commune").alias(CODE)),
        niveaux::COMMUNE,
    );
    let par_ept = agreger(
        dossiers
            .join(
                communes.clone(),
                [col("code_commune")],
                [col("code_commune")],
                JoinArgs::new(JoinType::Inner),
            )
            .filter(col("code_ept").is_not_null())
            .with_column(col("code_ept").alias(CODE)),
        niveaux::EPT,
    );
    let groupes = concat([departemental, par_ept, par_commune], UnionArgs::default())?;

    // Two figures per group: how many dossiers, and how much.
    let nombre = groupes.clone().with_columns([
        lit(mesures::NB_DOSSIERS).alias(MESURE),
        col("nb").alias(VALEUR),
        lit(Statut::Valeur.code())
            .cast(DataType::UInt32)
            .alias(STATUT),
    ]);
    let montant = groupes
        .with_columns([
            lit(mesures::MONTANT_EUR).alias(MESURE),
            col("montant_eur").alias(VALEUR),
        ])
        .with_column(masquer());
    let mut sel = vec![
        col(D),
        col(NIVEAU),
        col(CODE),
        col(MESURE),
        col(VALEUR),
        col(STATUT),
    ];
    sel.extend(details.map(col));
    let lignes = concat(
        [nombre.select(sel.clone()), montant.select(sel)],
        UnionArgs::default(),
    )?;

    // Labels: the département's name, else the referential's.
    let libelles = concat(
        [
            communes.clone().select([
                lit(niveaux::COMMUNE).alias(NIVEAU),
                col("code_commune").alias(CODE),
                col("nom_commune").alias(LIBELLE),
            ]),
            communes.select([
                lit(niveaux::EPT).alias(NIVEAU),
                col("code_ept").alias(CODE),
                col("nom_ept").alias(LIBELLE),
            ]),
            demande.noms()?.select([
                lit(niveaux::DEPARTEMENT).alias(NIVEAU),
                col(D).alias(CODE),
                col(LIBELLE),
            ]),
        ],
        UnionArgs::default(),
    )?
    .filter(col(CODE).is_not_null())
    .unique_stable(
        Some(by_name([NIVEAU, CODE], true, false)),
        UniqueKeepStrategy::First,
    );
    let mut sortie = vec![col(D)];
    sortie.extend(colonnes_sortie());

    let lignes = avec_rang(lignes, NIVEAU, &niveaux::SORTIE.map(String::from))?;
    let lignes = avec_rang(lignes, LOCALISATION, &LOCALISATIONS.map(String::from))?;
    let lignes = avec_rang(lignes, STATUT_DOSSIER, &STATUTS_DOSSIER.map(String::from))?;
    let lignes = avec_rang(lignes, MESURE, &mesures::ORDRE.map(String::from))?;
    let table = lignes
        .join(
            libelles,
            [col(NIVEAU), col(CODE)],
            [col(NIVEAU), col(CODE)],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            lit(demande.periode.to_string()).alias(PERIODE),
            lit(FINANCEMENTS).alias(INDICATEUR),
            col(LIBELLE).fill_null(col(CODE)).alias(LIBELLE),
        ])
        .sort_by_exprs(
            [
                col(D),
                col("rang_niveau"),
                col(CODE),
                col(DISPOSITIF),
                col(VAGUE),
                col("rang_localisation"),
                col("rang_statut_dossier"),
                col("rang_mesure"),
            ],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .select(sortie)
        .sans_cse()
        .collect()?;
    Ok(Parts::new(&table)?)
}
