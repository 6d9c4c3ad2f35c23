//! Funding indicators: number of dossiers and amounts by dispositif × wave
//! × localisation × dossier status, for the département, each EPT and each
//! commune. A dossier without a commune counts for the département only;
//! an EPT holds the dossiers of the communes the QPV referential places in
//! it. All départements at once ([`Demande`]).

use std::collections::HashMap;

use polars::prelude::*;

use super::expressions::{avec_rang, masquer, SansCse};
use super::territoires::libelles_des_territoires;
use super::{colonnes_sortie, sans_precisions, Demande};
use crate::erreur::Resultat;
use crate::modele::colonnes::*;
use crate::modele::departements::Parts;
use crate::modele::{
    mesures, niveaux, textes, Financements, Referentiel, Statut, LOCALISATIONS, STATUTS_DOSSIER,
};

/// The département of each row.
const D: &str = DEPARTEMENT_LIGNE;

/// Name of the funding indicator; what it is about is in the detail columns.
pub const FINANCEMENTS: &str = "financements";

/// What a funding figure is about, besides its territory.
const DETAILS: [&str; 4] = [DISPOSITIF, VAGUE, LOCALISATION, STATUT_DOSSIER];

/// Each département's funding rows. `f` is marked ([`Demande`]);
/// `referentiel` is the national one, whose communes place each dossier in
/// its EPT and name the territories.
pub fn calculer(f: &Financements, referentiel: &Referentiel, demande: &Demande) -> Resultat<Parts> {
    let dossiers = f.dossiers.clone().lazy().filter(
        col("code_commune")
            .is_null()
            .or(col("code_commune").str().starts_with(col(D))),
    );
    // Every commune of an EPT counts in it, with a QPV or not (INSEE's
    // composition when given).
    let communes = referentiel.communes_ept()?;
    let groupes = groupes(dossiers, &communes)?;
    let lignes = nombres_et_montants(groupes)?;
    let table = ordonner(
        lignes,
        libelles_des_territoires(communes, demande)?,
        demande,
    )?;
    Ok(Parts::new(&table)?)
}

/// The dossiers summed by territory (département, EPT, commune) and
/// detail.
fn groupes(dossiers: LazyFrame, communes: &LazyFrame) -> PolarsResult<LazyFrame> {
    let agreger = |lf: LazyFrame, niveau: &str| {
        let mut cles: Vec<Expr> = vec![col(D), col(CODE)];
        cles.extend(DETAILS.map(col));
        lf.group_by(cles)
            .agg([
                len().cast(DataType::Float64).alias("nb"),
                col("montant_eur").sum(),
                col(STATUT).max(),
            ])
            .with_column(lit(niveau.to_string()).alias(NIVEAU))
    };
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
    concat([departemental, par_ept, par_commune], UnionArgs::default())
}

/// Two figures per group: how many dossiers, and how much.
fn nombres_et_montants(groupes: LazyFrame) -> PolarsResult<LazyFrame> {
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
    sel.extend(DETAILS.map(col));
    concat(
        [nombre.select(sel.clone()), montant.select(sel)],
        UnionArgs::default(),
    )
}

/// The rows in the long table's columns and order.
fn ordonner(lignes: LazyFrame, libelles: LazyFrame, demande: &Demande) -> PolarsResult<DataFrame> {
    let mut sortie = vec![col(D)];
    sortie.extend(colonnes_sortie());
    let lignes = avec_rang(lignes, NIVEAU, &niveaux::SORTIE.map(String::from))?;
    let lignes = avec_rang(lignes, LOCALISATION, &LOCALISATIONS.map(String::from))?;
    let lignes = avec_rang(lignes, STATUT_DOSSIER, &STATUTS_DOSSIER.map(String::from))?;
    let lignes = avec_rang(lignes, MESURE, &mesures::ORDRE.map(String::from))?;
    lignes
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
        .with_columns(sans_precisions())
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
        .collect()
}

/// One dossier as the documents list it (the registers are public: each
/// dossier is shown with its amount).
#[derive(Debug, Clone)]
pub struct Dossier {
    pub dispositif: String,
    pub vague: String,
    pub porteur: String,
    pub intitule: String,
    pub commune: String,
    pub code_commune: String,
    pub code_qpv: String,
    pub localisation: String,
    pub montant: Option<f64>,
    pub statut: String,
}

/// The dossiers of the département, in register order.
pub fn dossiers(
    f: &Financements,
    referentiel: &Referentiel,
    departement: &str,
) -> PolarsResult<Vec<Dossier>> {
    let communes: HashMap<String, String> = {
        let r = &referentiel.lignes;
        let codes = r.column("code_commune")?.str()?;
        let noms = r.column("nom_commune")?.str()?;
        codes
            .iter()
            .zip(noms.iter())
            .filter_map(|(c, n)| Some((c?.to_string(), n?.to_string())))
            .collect()
    };
    let d = f
        .dossiers
        .clone()
        .lazy()
        .filter(
            col("code_commune")
                .is_null()
                .or(col("code_commune").str().starts_with(lit(departement))),
        )
        .collect()?;
    let texte = |c: &str| textes(&d, c);
    let (disp, vag, port, intit, comm, qpv_, loc, st) = (
        texte(DISPOSITIF)?,
        texte(VAGUE)?,
        texte("porteur")?,
        texte("intitule")?,
        texte("code_commune")?,
        texte("code_qpv")?,
        texte(LOCALISATION)?,
        texte(STATUT_DOSSIER)?,
    );
    let montants = d.column("montant_eur")?.f64()?;
    Ok((0..d.height())
        .map(|i| Dossier {
            dispositif: disp[i].clone(),
            vague: vag[i].clone(),
            porteur: port[i].clone(),
            intitule: intit[i].clone(),
            commune: communes
                .get(&comm[i])
                .cloned()
                .unwrap_or_else(|| comm[i].clone()),
            code_commune: comm[i].clone(),
            code_qpv: qpv_[i].clone(),
            localisation: loc[i].clone(),
            montant: montants.get(i),
            statut: st[i].clone(),
        })
        .collect())
}
