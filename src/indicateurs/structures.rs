//! Structures and labels counted: by type × status, for the département
//! (all localisations and by localisation) and each commune, and how many
//! lie in a commune with a QPV of the period's list (from the referential,
//! never typed). Numbers of structures, not of people: not under secrecy
//! (mesure `nombre`). All départements at once ([`Demande`]).

use polars::prelude::*;

use super::expressions::{avec_rang, SansCse};
use super::territoires::{libelles_des_territoires, qpv_de_la_liste};
use super::{colonnes_sortie, Demande};
use crate::erreur::Resultat;
use crate::modele::colonnes::*;
use crate::modele::departements::Parts;
use crate::modele::{
    mesures, niveaux, Referentiel, Statut, Structures, LOCALISATIONS, STATUTS_STRUCTURE,
};

/// The département of each row.
const D: &str = DEPARTEMENT_LIGNE;

/// Name of a count of structures of status `statut` (`structures_ouvert`…);
/// `_commune_qpv`: of them, those in a commune with a QPV.
pub fn indicateur(statut: &str, commune_qpv: bool) -> String {
    match commune_qpv {
        true => format!("structures_{statut}_commune_qpv"),
        false => format!("structures_{statut}"),
    }
}

/// Each département's counts in the long table's columns, and its
/// structures as the documents list them (with `nom_commune`, `nom_qpv`
/// and `commune_qpv`), in the files' order.
pub fn calculer(
    s: &Structures,
    referentiel: &Referentiel,
    demande: &Demande,
) -> Resultat<(Parts, Parts)> {
    let liste = liste(s, referentiel, demande)?.collect()?;
    let comptes = comptes(liste.clone().lazy())?;
    let libelles = libelles_des_territoires(referentiel.communes_interco()?, demande)?;
    let longues = ordonner(comptes, libelles, demande)?;
    Ok((Parts::new(&longues)?, Parts::new(&liste)?))
}

/// The structures with their commune's name (the referential's, else the
/// file's, else the code), their QPV's name, and whether their commune has
/// a QPV of the period's list.
fn liste(s: &Structures, referentiel: &Referentiel, demande: &Demande) -> PolarsResult<LazyFrame> {
    let r = referentiel.lignes.clone().lazy();
    let communes_qpv = r
        .clone()
        .filter(qpv_de_la_liste(demande.periode))
        .select([
            col("code_commune").alias("_commune"),
            lit(true).alias("commune_qpv"),
        ])
        .unique(None, UniqueKeepStrategy::First);
    let noms = referentiel.communes_interco()?.select([
        col("code_commune").alias("_commune"),
        col("nom_commune").alias("_nom"),
    ]);
    let quartiers = r
        .select([col("code_qpv").alias("_qpv"), col("nom_qpv")])
        .unique(None, UniqueKeepStrategy::First);
    let gauche = || JoinArgs::new(JoinType::Left);
    Ok(s.lignes
        .clone()
        .lazy()
        .join(
            communes_qpv,
            [col("code_commune")],
            [col("_commune")],
            gauche(),
        )
        .join(noms, [col("code_commune")], [col("_commune")], gauche())
        .join(quartiers, [col("code_qpv")], [col("_qpv")], gauche())
        .with_columns([
            col("commune_qpv").fill_null(lit(false)),
            col("_nom")
                .fill_null(col("nom_commune"))
                .fill_null(col("code_commune"))
                .alias("nom_commune"),
        ])
        .drop(by_name(["_nom"], false, false))
        .sort([D, FICHIER, LIGNE], SortMultipleOptions::default()))
}

/// The counts: département × type × status, all localisations (with how
/// many in a commune with a QPV) and by localisation; commune × type ×
/// status.
fn comptes(liste: LazyFrame) -> PolarsResult<LazyFrame> {
    let compter = |lf: LazyFrame, cles: Vec<Expr>, niveau: &str| {
        lf.group_by(cles)
            .agg([
                len().cast(DataType::Float64).alias(VALEUR),
                col("commune_qpv")
                    .sum()
                    .cast(DataType::Float64)
                    .alias("_en_commune_qpv"),
                col("nom_commune").first().alias("_nom"),
            ])
            .with_column(lit(niveau.to_string()).alias(NIVEAU))
    };
    let cles = |code: Expr, autre: Option<&str>| {
        let mut c = vec![
            col(D),
            code.alias(CODE),
            col("type"),
            col("statut_structure"),
        ];
        c.extend(autre.map(col));
        c
    };
    let vide = || lit(NULL).cast(DataType::String).alias(LOCALISATION);
    let sans_annee = || lit(NULL).cast(DataType::Int32).alias("annee");
    let tous = compter(liste.clone(), cles(col(D), None), niveaux::DEPARTEMENT)
        .with_columns([vide(), sans_annee()]);
    let par_localisation = compter(
        liste.clone(),
        cles(col(D), Some(LOCALISATION)),
        niveaux::DEPARTEMENT,
    )
    .with_column(sans_annee());
    // "3 labellisées en 2020, 4 depuis janvier 2021": by year, `periode` the year.
    let par_annee = compter(
        liste.clone().filter(col("annee").is_not_null()),
        cles(col(D), Some("annee")),
        niveaux::DEPARTEMENT,
    )
    .with_column(vide());
    let par_commune = compter(liste, cles(col("code_commune"), None), niveaux::COMMUNE)
        .with_columns([vide(), sans_annee()]);
    let en_commune_qpv = tous.clone().with_columns([
        col("_en_commune_qpv").alias(VALEUR),
        lit(true).alias("_commune_qpv"),
    ]);
    let selection = [
        col(D),
        col(NIVEAU),
        col(CODE),
        col("type"),
        col("statut_structure"),
        col(LOCALISATION),
        col(VALEUR),
        col("_commune_qpv"),
        col("annee"),
        // The commune's name as the file gives it, for a commune the
        // referential does not know (no QPV).
        when(col(NIVEAU).eq(lit(niveaux::COMMUNE)))
            .then(col("_nom"))
            .otherwise(lit(NULL).cast(DataType::String))
            .alias("_nom"),
    ];
    let sans = |lf: LazyFrame| lf.with_column(lit(false).alias("_commune_qpv"));
    concat(
        [
            sans(tous).select(selection.clone()),
            en_commune_qpv.select(selection.clone()),
            sans(par_localisation).select(selection.clone()),
            sans(par_annee).select(selection.clone()),
            sans(par_commune).select(selection),
        ],
        UnionArgs::default(),
    )
}

/// The counts in the long table's columns and order: by département, level,
/// code, type, status, then all localisations before each.
fn ordonner(comptes: LazyFrame, libelles: LazyFrame, demande: &Demande) -> PolarsResult<DataFrame> {
    let mut sortie = vec![col(D)];
    sortie.extend(colonnes_sortie());
    let statut = col("statut_structure");
    let indicateur = when(col("_commune_qpv"))
        .then(lit("structures_") + statut.clone() + lit("_commune_qpv"))
        .otherwise(lit("structures_") + statut.clone());
    let comptes = avec_rang(comptes, NIVEAU, &niveaux::SORTIE.map(String::from))?;
    let comptes = avec_rang(
        comptes,
        "statut_structure",
        &STATUTS_STRUCTURE.map(String::from),
    )?;
    let comptes = avec_rang(comptes, LOCALISATION, &LOCALISATIONS.map(String::from))?;
    comptes
        .join(
            libelles,
            [col(NIVEAU), col(CODE)],
            [col(NIVEAU), col(CODE)],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            when(col("annee").is_null())
                .then(lit(demande.periode.to_string()))
                .otherwise(col("annee").cast(DataType::String))
                .alias(PERIODE),
            col(LIBELLE).fill_null(col("_nom")).fill_null(col(CODE)),
            indicateur.alias(INDICATEUR),
            lit(mesures::NOMBRE).alias(MESURE),
            lit(Statut::Valeur.code())
                .cast(DataType::UInt32)
                .alias(STATUT),
            col("type").alias(DISPOSITIF),
        ])
        .with_columns(
            [VAGUE, STATUT_DOSSIER, CATEGORIE, DEPUIS, AU]
                .map(|c| lit(NULL).cast(DataType::String).alias(c)),
        )
        .sort_by_exprs(
            [
                col(D),
                col("rang_niveau"),
                col(CODE),
                col(DISPOSITIF),
                col("rang_statut_structure"),
                col("_commune_qpv"),
                col("rang_localisation"),
                col("annee"),
            ],
            SortMultipleOptions::default().with_nulls_last(false),
        )
        .select(sortie)
        .sans_cse()
        .collect()
}
