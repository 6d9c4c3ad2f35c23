//! Scheme counts (`dispositifs*.csv`): one row per scheme, indicator,
//! category, period and territory, with the part in QPV, a target and the
//! dates that say what the count covers ("depuis mars 2019", "au 31
//! décembre 2020").

use std::path::PathBuf;

use polars::prelude::*;

use super::entetes::Colonne;
use super::valeurs::ou_vide;
use super::valeurs::{
    parmi, periode_index, statut, texte, valeur, valeur_normalisee, verifier_nombres,
};
use super::{
    avec_qpv_connu, lire_tables, qpv_connus, signaler, signaler_hors_liste, signaler_qpv_inconnus,
    TableBrute,
};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::*;
use crate::modele::{niveaux, Dispositifs, Referentiel, Statut, UNITES};

pub const COLONNES: [Colonne; 12] = [
    Colonne::obligatoire("dispositif", &["programme"]),
    Colonne::obligatoire("indicateur", &["chiffre"]),
    Colonne::obligatoire("periode", &["annee", "trimestre"]),
    Colonne::obligatoire("niveau", &["echelon"]),
    Colonne::obligatoire("code", &["code_territoire", "codgeo"]),
    Colonne::obligatoire("valeur", &["nombre"]),
    Colonne::facultative("categorie", &["type", "sous_dispositif"]),
    Colonne::facultative("valeur_qpv", &["dont_qpv", "en_qpv"]),
    Colonne::facultative("objectif", &["cible"]),
    Colonne::facultative("depuis", &["date_debut"]),
    Colonne::facultative("au", &["date_reference"]),
    Colonne::facultative("unite", &[]),
];

/// The levels a scheme count may be given at.
const NIVEAUX: [&str; 3] = [niveaux::DEPARTEMENT, niveaux::COMMUNE, niveaux::QPV];

/// Reads the scheme files; `None` when there is none. A QPV must be in the
/// referential.
pub fn lire(
    fichiers: &[PathBuf],
    referentiel: &Referentiel,
) -> Resultat<Option<(Dispositifs, Vec<TableBrute>)>> {
    if fichiers.is_empty() {
        return Ok(None);
    }
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES)?;
    let connus = qpv_connus(referentiel);
    let mut lignes = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let lf = lignes_d_un_fichier(t, i as u32);
        let verifiee = TableBrute {
            frame: avec_qpv_connu(
                t.frame
                    .clone()
                    .lazy()
                    .with_column(valeur_normalisee("niveau").alias("_niveau")),
                texte("code"),
                &connus,
            )
            .collect()?,
            ..t.clone()
        };
        problemes.extend(verifier(t, &verifiee)?);
        lignes.push(lf);
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    let lignes = concat(lignes, UnionArgs::default())?.collect()?;
    problemes.extend(doublons(&lignes, &tables)?);
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    let fichiers = tables.iter().map(|t| t.fichier.clone()).collect();
    Ok(Some((Dispositifs { lignes, fichiers }, tables)))
}

/// A figure column and its status; a file without the column gives no
/// figure (not available).
fn chiffre(t: &TableBrute, c: &str) -> [Expr; 2] {
    if t.a(c) {
        [valeur(c), statut(c)]
    } else {
        [
            lit(NULL).cast(DataType::Float64),
            lit(Statut::NonDisponible.code()).cast(DataType::UInt32),
        ]
    }
}

/// The year of a period written as a year alone (`2020`), else null.
fn annee_seule(c: &str) -> Expr {
    col(c)
        .str()
        .extract(lit(r"^\s*(\d{4})\s*$"), 1)
        .cast(DataType::Int32)
}

/// A date `AAAA-MM-JJ` or `JJ/MM/AAAA` as the number AAAAMMJJ, null when
/// the cell is empty or is no date of the calendar.
pub(super) fn date(c: &str) -> Expr {
    date_de(col(c))
}

/// [`date`] of a text expression.
pub(super) fn date_de(c: Expr) -> Expr {
    let partie = |iso: usize, fr: usize| {
        coalesce(&[
            c.clone()
                .str()
                .extract(lit(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$"), iso)
                .cast(DataType::Int32),
            c.clone()
                .str()
                .extract(lit(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$"), fr)
                .cast(DataType::Int32),
        ])
    };
    let (an, mois, jour) = (partie(1, 3), partie(2, 2), partie(3, 1));
    let bissextile = (an.clone() % lit(4)).eq(lit(0)).and(
        (an.clone() % lit(100))
            .neq(lit(0))
            .or((an.clone() % lit(400)).eq(lit(0))),
    );
    let dernier = when(mois.clone().eq(lit(2)))
        .then(when(bissextile).then(lit(29)).otherwise(lit(28)))
        .when(parmi_entiers(mois.clone(), &[4, 6, 9, 11]))
        .then(lit(30))
        .otherwise(lit(31));
    let valide = mois
        .clone()
        .gt_eq(lit(1))
        .and(mois.clone().lt_eq(lit(12)))
        .and(jour.clone().gt_eq(lit(1)))
        .and(jour.clone().lt_eq(dernier));
    when(valide)
        .then(an * lit(10_000) + mois * lit(100) + jour)
        .otherwise(lit(NULL).cast(DataType::Int32))
}

fn parmi_entiers(e: Expr, valeurs: &[i32]) -> Expr {
    valeurs
        .iter()
        .map(|v| e.clone().eq(lit(*v)))
        .reduce(|a, b| a.or(b))
        .unwrap_or_else(|| lit(false))
}

/// A file's rows in the typed columns of [`Dispositifs`].
fn lignes_d_un_fichier(t: &TableBrute, fichier: u32) -> LazyFrame {
    let trimestre = periode_index("periode");
    let annee = annee_seule("periode");
    let (an_t, t_t) = (
        quotient(trimestre.clone(), 4),
        trimestre.clone() % lit(4) + lit(1),
    );
    let periode = when(trimestre.clone().is_not_null())
        .then(an_t.clone().cast(DataType::String) + lit("T") + t_t.clone().cast(DataType::String))
        .otherwise(annee.clone().cast(DataType::String));
    // First and last days as AAAAMMJJ: a quarter's, else the year's.
    let debut = when(trimestre.clone().is_not_null())
        .then(an_t.clone() * lit(10_000) + (t_t.clone() * lit(3) - lit(2)) * lit(100) + lit(1))
        .otherwise(annee.clone() * lit(10_000) + lit(101));
    let dernier_jour = when(t_t.clone().eq(lit(1)).or(t_t.clone().eq(lit(4))))
        .then(lit(31))
        .otherwise(lit(30));
    let fin = when(trimestre.is_not_null())
        .then(an_t * lit(10_000) + t_t * lit(300) + dernier_jour)
        .otherwise(annee * lit(10_000) + lit(1231));
    let unite = if t.a("unite") {
        // A blank cell is the default: a count of people, under secrecy.
        when(texte("unite").is_null())
            .then(lit("personnes"))
            .otherwise(valeur_normalisee("unite"))
    } else {
        lit("personnes")
    };
    let [v, s] = chiffre(t, "valeur");
    let [vq, sq] = chiffre(t, "valeur_qpv");
    let [vo, so] = chiffre(t, "objectif");
    let niveau = valeur_normalisee("niveau");
    t.frame.clone().lazy().select([
        texte("dispositif").alias(DISPOSITIF),
        valeur_normalisee("indicateur").alias(INDICATEUR),
        texte("indicateur").alias("libelle_indicateur"),
        ou_vide(t, "categorie").alias(CATEGORIE),
        periode.alias(PERIODE),
        debut.cast(DataType::Int32).alias("debut"),
        fin.cast(DataType::Int32).alias("fin"),
        niveau.clone().alias(NIVEAU),
        when(niveau.eq(lit(niveaux::QPV)))
            .then(texte("code").str().to_uppercase())
            .otherwise(texte("code"))
            .alias(CODE),
        v.alias(VALEUR),
        s.alias(STATUT),
        vq.alias("valeur_qpv"),
        sq.alias("statut_qpv"),
        vo.alias("objectif"),
        so.alias("statut_objectif"),
        if t.a("depuis") {
            date("depuis")
        } else {
            lit(NULL).cast(DataType::Int32)
        }
        .alias(DEPUIS),
        if t.a("au") {
            date("au")
        } else {
            lit(NULL).cast(DataType::Int32)
        }
        .alias(AU),
        unite.clone().eq(lit("personnes")).alias("personnes"),
        unite.eq(lit("euros")).alias("euros"),
        col(LIGNE),
        lit(fichier).cast(DataType::UInt32).alias(FICHIER),
    ])
}

/// A scheme file's cells: names, period, level, QPV known to the
/// referential (`verifiee` carries `_qpv`, `_niveau` and `_connu`),
/// numbers, dates, unit, the QPV part within the whole.
fn verifier(t: &TableBrute, verifiee: &TableBrute) -> Resultat<Vec<Probleme>> {
    let mut p = Vec::new();
    for (c, quoi) in [
        ("dispositif", "le nom du dispositif (Emplois francs…)"),
        ("indicateur", "le nom du chiffre (demandes_validees…)"),
        ("code", "le code du territoire (92, 92050, QP092016)"),
    ] {
        p.extend(signaler(t, texte(c).is_null(), c, "cellule vide", quoi)?);
    }
    p.extend(signaler(
        t,
        periode_index("periode")
            .is_null()
            .and(annee_seule("periode").is_null()),
        "periode",
        "période illisible",
        "un trimestre (2020T4) ou une année (2020)",
    )?);
    p.extend(signaler(
        t,
        parmi(valeur_normalisee("niveau"), &NIVEAUX)
            .not()
            .or(texte("niveau").is_null()),
        "niveau",
        "niveau inconnu",
        "departement, commune ou qpv",
    )?);
    p.extend(signaler_qpv_inconnus(
        verifiee,
        "code",
        col("_niveau").eq(lit(niveaux::QPV)),
    )?);
    let nombres: Vec<&'static str> = ["valeur", "valeur_qpv", "objectif"]
        .into_iter()
        .filter(|c| t.a(c))
        .collect();
    p.extend(verifier_nombres(t, &nombres)?);
    if t.a("valeur_qpv") {
        p.extend(signaler(
            t,
            valeur("valeur_qpv")
                .gt(valeur("valeur"))
                .fill_null(lit(false)),
            "valeur_qpv",
            "part en QPV supérieure au total",
            "au plus la valeur de la ligne (colonne valeur)",
        )?);
    }
    for c in ["depuis", "au"].into_iter().filter(|c| t.a(c)) {
        p.extend(signaler(
            t,
            texte(c).is_not_null().and(date(c).is_null()),
            c,
            "date illisible",
            "une date AAAA-MM-JJ (2019-03-01) ou JJ/MM/AAAA",
        )?);
    }
    p.extend(signaler_hors_liste(
        t,
        "unite",
        &UNITES,
        ("unité inconnue", &UNITES.join(", ")),
    )?);
    Ok(p)
}

/// The same scheme, indicator, category, period and territory twice: the
/// second row is refused (which one holds would be a guess).
fn doublons(lignes: &DataFrame, tables: &[TableBrute]) -> PolarsResult<Vec<Probleme>> {
    let cle = [DISPOSITIF, INDICATEUR, CATEGORIE, PERIODE, NIVEAU, CODE].map(col);
    let doubles = lignes
        .clone()
        .lazy()
        .filter(
            len().over(cle.clone())?.gt(lit(1)).and(
                col(FICHIER)
                    .neq(col(FICHIER).first().over(cle.clone())?)
                    .or(col(LIGNE).neq(col(LIGNE).first().over(cle)?)),
            ),
        )
        .select([col(FICHIER), col(LIGNE), col(DISPOSITIF), col(INDICATEUR)])
        .collect()?;
    let (f, l) = (
        doubles.column(FICHIER)?.u32()?,
        doubles.column(LIGNE)?.u32()?,
    );
    let (d, i) = (
        doubles.column(DISPOSITIF)?.str()?,
        doubles.column(INDICATEUR)?.str()?,
    );
    Ok((0..doubles.height())
        .filter_map(|k| {
            let t = tables.get(f.get(k)? as usize)?;
            Some(
                t.probleme("chiffre donné deux fois")
                    .ligne(l.get(k).unwrap_or(0) as usize)
                    .trouve(format!(
                        "{} — {}",
                        d.get(k).unwrap_or(""),
                        i.get(k).unwrap_or("")
                    ))
                    .attendu(
                        "une ligne par dispositif, indicateur, catégorie, période et territoire",
                    ),
            )
        })
        .collect())
}

/// The integer quotient of a positive `a` by `b` (polars' `floor_div`
/// needs a feature this build does not have).
fn quotient(a: Expr, b: i32) -> Expr {
    (a.cast(DataType::Float64) / lit(f64::from(b))).cast(DataType::Int32)
}
