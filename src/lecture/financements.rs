//! Funding registers: one row per dossier, with its amount, where the
//! project is (in a QPV, near one, elsewhere) and where the dossier stands.

use std::path::PathBuf;

use polars::prelude::*;

use super::entetes::Colonne;
use super::valeurs::{ou_vide, parmi, statut, texte, valeur, valeur_normalisee, verifier_nombres};
use super::{
    avec_qpv_connu, lire_tables, qpv_connus, signaler, signaler_hors_liste, signaler_localisations,
    signaler_qpv_inconnus, TableBrute,
};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::*;
use crate::modele::{Financements, Referentiel, STATUTS_DOSSIER};

pub const COLONNES: [Colonne; 19] = [
    Colonne::obligatoire("dispositif", &["dotation"]),
    Colonne::facultative("vague", &["appel", "tranche"]),
    // The programme a dispositif belongs to ("Plan de relance"): the
    // documents' headings.
    Colonne::facultative("programme", &["plan", "programme_de_financement"]),
    Colonne::facultative("porteur", &["beneficiaire", "maitre_d_ouvrage"]),
    Colonne::facultative("intitule", &["projet", "objet"]),
    Colonne::facultative(
        "code_commune",
        &["insee_com", "codgeo", "code_insee", "depcom"],
    ),
    Colonne::facultative("code_qpv", &["code_qp", "code_quartier"]),
    Colonne::facultative("localisation", &[]),
    Colonne::obligatoire("montant_eur", &["montant", "montant_euros", "subvention"]),
    Colonne::obligatoire("statut", &["statut_dossier", "etat"]),
    Colonne::facultative("date_decision", &[]),
    Colonne::facultative("montant_demande_eur", &["montant_demande"]),
    Colonne::facultative("nature", &["nature_de_l_aide"]),
    Colonne::facultative("quantite", &[]),
    Colonne::facultative("unite", &[]),
    Colonne::facultative("cout_total_eur", &["cout_total", "cout_d_investissement"]),
    // What the open-data file (SCDL "subventions") needs beyond the rest.
    Colonne::facultative(
        "siret",
        &["siret_porteur", "siret_beneficiaire", "id_beneficiaire"],
    ),
    Colonne::facultative("reference_decision", &["reference_de_la_decision"]),
    Colonne::facultative(
        "dates_versement",
        &["dates_periode_versement", "date_versement"],
    ),
];

/// A SIRET without its spaces (`123 456 789 00012`).
fn siret() -> Expr {
    texte("siret").str().replace_all(lit(r"\s"), lit(""), false)
}

/// The payment date or period (`AAAA-MM-JJ` or `AAAA-MM-JJ/AAAA-MM-JJ`)
/// without spaces, null unless it is one.
fn dates_versement() -> Expr {
    let v = texte("dates_versement")
        .str()
        .replace_all(lit(r"\s"), lit(""), false);
    let debut = super::dispositifs::date_de(
        v.clone()
            .str()
            .extract(lit(r"^(\d{4}-\d{2}-\d{2})(/\d{4}-\d{2}-\d{2})?$"), 1),
    );
    let fin = super::dispositifs::date_de(
        v.clone()
            .str()
            .extract(lit(r"^\d{4}-\d{2}-\d{2}/(\d{4}-\d{2}-\d{2})$"), 1),
    );
    let periode = v.clone().str().contains_literal(lit("/"));
    let valide = debut.clone().is_not_null().and(
        periode
            .not()
            .or(fin.clone().is_not_null().and(fin.gt_eq(debut))),
    );
    when(valide)
        .then(v)
        .otherwise(lit(NULL).cast(DataType::String))
}

/// The natures of a funding: a grant or a loan.
pub const NATURES: [&str; 2] = ["subvention", "pret"];

pub const COLONNES_ENVELOPPES: [Colonne; 4] = [
    Colonne::obligatoire("dispositif", &["dotation"]),
    Colonne::facultative("vague", &["appel", "tranche"]),
    Colonne::obligatoire("montant_eur", &["montant", "enveloppe", "enveloppe_eur"]),
    Colonne::facultative("departement", &["dep", "code_departement"]),
];

/// Reads the envelopes of each scheme and wave (`enveloppes*.csv`): an
/// empty table when there is none (`dispositif`, `vague`, `montant_eur`,
/// `statut`, `departement`).
pub fn lire_enveloppes(fichiers: &[PathBuf]) -> Resultat<(DataFrame, Vec<TableBrute>)> {
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES_ENVELOPPES)?;
    let mut lignes = vec![DataFrame::new_infer_height(vec![
        Column::new(DISPOSITIF.into(), Vec::<String>::new()),
        Column::new(VAGUE.into(), Vec::<Option<String>>::new()),
        Column::new("montant_eur".into(), Vec::<Option<f64>>::new()),
        Column::new(STATUT.into(), Vec::<u32>::new()),
        Column::new("departement".into(), Vec::<Option<String>>::new()),
    ])?
    .lazy()];
    for t in &tables {
        problemes.extend(verifier_nombres(t, &["montant_eur"])?);
        problemes.extend(signaler(
            t,
            texte("dispositif").is_null(),
            "dispositif",
            "dispositif vide",
            "le nom du dispositif (Fonds friches…)",
        )?);
        lignes.push(t.frame.clone().lazy().select([
            texte("dispositif").alias(DISPOSITIF),
            ou_vide(t, "vague").alias(VAGUE),
            valeur("montant_eur").alias("montant_eur"),
            statut("montant_eur").alias(STATUT),
            ou_vide(t, "departement").alias("departement"),
        ]));
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    Ok((concat(lignes, UnionArgs::default())?.collect()?, tables))
}

/// Reads the registers; `None` when there is none. A dossier's QPV must be
/// in the referential.
pub fn lire(
    fichiers: &[PathBuf],
    referentiel: &Referentiel,
) -> Resultat<Option<(Financements, Vec<TableBrute>)>> {
    if fichiers.is_empty() {
        return Ok(None);
    }
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES)?;
    let connus = qpv_connus(referentiel);
    let mut dossiers = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        dossiers.push(dossiers_d_un_fichier(t, i as u32, &connus, &mut problemes)?);
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    let dossiers = concat(dossiers, UnionArgs::default())?.collect()?;
    let fichiers = tables.iter().map(|t| t.fichier.clone()).collect();
    let enveloppes = DataFrame::empty();
    Ok(Some((
        Financements {
            dossiers,
            fichiers,
            enveloppes,
        },
        tables,
    )))
}

/// One register's dossiers, once its cells are checked (problems added to
/// `problemes`); `fichier`, the file's index; `connus`, the referential's
/// QPV.
fn dossiers_d_un_fichier(
    t: &TableBrute,
    fichier: u32,
    connus: &LazyFrame,
    problemes: &mut Vec<Probleme>,
) -> Resultat<LazyFrame> {
    // Where the project is: as written, else in a QPV when a QPV is named.
    // (The column is optional: without it, every dossier is placed by
    // its QPV.)
    let par_le_qpv = when(col("_qpv").is_null())
        .then(lit("hors_qpv"))
        .otherwise(lit("qpv"));
    let localisation = if t.a("localisation") {
        when(texte("localisation").is_null())
            .then(par_le_qpv)
            .otherwise(valeur_normalisee("localisation"))
    } else {
        par_le_qpv
    };
    let lf = avec_qpv_connu(t.frame.clone().lazy(), ou_vide(t, "code_qpv"), connus);
    let verifiee = TableBrute {
        frame: lf.clone().collect()?,
        ..t.clone()
    };
    verifier(t, &verifiee, problemes)?;
    Ok(lf.select([
        texte("dispositif").alias(DISPOSITIF),
        ou_vide(t, "vague").alias(VAGUE),
        ou_vide(t, "programme").alias("programme"),
        ou_vide(t, "porteur").alias("porteur"),
        ou_vide(t, "intitule").alias("intitule"),
        ou_vide(t, "code_commune").alias("code_commune"),
        col("_qpv").alias("code_qpv"),
        localisation.alias(LOCALISATION),
        valeur("montant_eur").alias("montant_eur"),
        statut("montant_eur").alias(STATUT),
        valeur_normalisee("statut").alias(STATUT_DOSSIER),
        if t.a("date_decision") {
            super::dispositifs::date("date_decision")
        } else {
            lit(NULL).cast(DataType::Int32)
        }
        .alias("date_decision"),
        nombre_facultatif(t, "montant_demande_eur"),
        if t.a("nature") {
            when(texte("nature").is_null())
                .then(lit(NULL).cast(DataType::String))
                .otherwise(valeur_normalisee("nature"))
        } else {
            lit(NULL).cast(DataType::String)
        }
        .alias("nature"),
        nombre_facultatif(t, "quantite"),
        ou_vide(t, "unite").alias("unite"),
        nombre_facultatif(t, "cout_total_eur"),
        if t.a("siret") {
            siret()
        } else {
            lit(NULL).cast(DataType::String)
        }
        .alias("siret"),
        ou_vide(t, "reference_decision").alias("reference_decision"),
        if t.a("dates_versement") {
            dates_versement()
        } else {
            lit(NULL).cast(DataType::String)
        }
        .alias("dates_versement"),
        col(LIGNE),
        lit(fichier).cast(DataType::UInt32).alias(FICHIER),
    ]))
}

/// An optional number column (null where the file has none or the cell
/// is not a value).
fn nombre_facultatif(t: &TableBrute, c: &str) -> Expr {
    if t.a(c) {
        valeur(c)
    } else {
        lit(NULL).cast(DataType::Float64)
    }
    .alias(c)
}

/// A register's cells: amounts, QPV known to the referential (`verifiee`
/// carries `_qpv` and `_connu`), localisation, status, dispositif.
fn verifier(t: &TableBrute, verifiee: &TableBrute, problemes: &mut Vec<Probleme>) -> Resultat<()> {
    let nombres: Vec<&'static str> = [
        "montant_eur",
        "montant_demande_eur",
        "quantite",
        "cout_total_eur",
    ]
    .into_iter()
    .filter(|c| t.a(c))
    .collect();
    problemes.extend(verifier_nombres(t, &nombres)?);
    problemes.extend(signaler_hors_liste(
        t,
        "nature",
        &NATURES,
        ("nature inconnue", "subvention ou prêt"),
    )?);
    problemes.extend(signaler_qpv_inconnus(verifiee, "code_qpv", lit(true))?);
    problemes.extend(signaler_localisations(t)?);
    problemes.extend(signaler(
        t,
        parmi(valeur_normalisee("statut"), &STATUTS_DOSSIER)
            .not()
            .or(texte("statut").is_null()),
        "statut",
        "statut de dossier inconnu",
        "retenu, en instruction, arbitrage en cours ou refusé",
    )?);
    if t.a("date_decision") {
        problemes.extend(signaler(
            t,
            texte("date_decision")
                .is_not_null()
                .and(super::dispositifs::date("date_decision").is_null()),
            "date_decision",
            "date illisible",
            "une date AAAA-MM-JJ (2021-03-03) ou JJ/MM/AAAA",
        )?);
    }
    problemes.extend(signaler(
        t,
        texte("dispositif").is_null(),
        "dispositif",
        "dispositif vide",
        "le nom du dispositif (DSIL relance…)",
    )?);
    verifier_donnees_ouvertes(t, problemes)
}

/// The cells the open-data file takes as they are: SIRET and payment
/// dates.
fn verifier_donnees_ouvertes(t: &TableBrute, problemes: &mut Vec<Probleme>) -> Resultat<()> {
    if t.a("siret") {
        problemes.extend(signaler(
            t,
            texte("siret")
                .is_not_null()
                .and(siret().str().contains(lit(r"^\d{14}$"), false).not()),
            "siret",
            "SIRET invalide",
            "14 chiffres (SIREN et NIC), par exemple 21920050500011",
        )?);
    }
    if t.a("dates_versement") {
        problemes.extend(signaler(
            t,
            texte("dates_versement")
                .is_not_null()
                .and(dates_versement().is_null()),
            "dates_versement",
            "date ou période de versement illisible",
            "AAAA-MM-JJ, ou AAAA-MM-JJ/AAAA-MM-JJ pour une période",
        )?);
    }
    Ok(())
}
