//! The QPV referential: one row per QPV and commune, multi-commune cells
//! (`"92007; 92014"`, as in the ANCT list) split into one row per commune.

use std::path::PathBuf;

use polars::prelude::*;

use super::entetes::Colonne;
use super::valeurs::{texte, valeur, verifier_nombres};
use super::{lire_tables, signaler, TableBrute};
use crate::error::{Erreur, Probleme, Resultat};
use crate::model::colonnes::LIGNE;
use crate::model::Referentiel;

pub const COLONNES: [Colonne; 7] = [
    Colonne::obligatoire("code_qpv", &["code_qp", "code_quartier"]),
    Colonne::obligatoire("nom_qpv", &["lib_qp", "nom_qp", "libelle_qpv"]),
    Colonne::obligatoire(
        "code_commune",
        &["insee_com", "codgeo", "code_insee", "depcom"],
    ),
    Colonne::facultative("nom_commune", &["lib_com", "libgeo"]),
    Colonne::facultative("code_ept", &["ept"]),
    Colonne::facultative("nom_ept", &["libept"]),
    Colonne::facultative("population", &[]),
];

/// Reads and checks every referential file, as one table.
pub fn lire(fichiers: &[PathBuf]) -> Resultat<(Referentiel, Vec<TableBrute>)> {
    if fichiers.is_empty() {
        return Err(Erreur::Donnees(vec![Probleme::new(
            std::path::Path::new("referentiel_qpv*.csv"),
            "aucun référentiel des QPV trouvé à côté de conseil.toml",
        )
        .attendu(
            "un fichier referentiel_qpv*.csv, ou [entrees] referentiel = [\"…\"] dans conseil.toml",
        )]));
    }
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES)?;
    let mut frames = Vec::new();
    for table in &tables {
        match typer(table) {
            Ok(Ok(frame)) => frames.push(frame),
            Ok(Err(p)) => problemes.extend(p),
            Err(e) => return Err(e.into()),
        }
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    let lignes = concat(
        frames.iter().map(|f| f.clone().lazy()).collect::<Vec<_>>(),
        UnionArgs::default(),
    )?
    .collect()?;
    Ok((Referentiel { lignes }, tables))
}

fn facultatif(table: &TableBrute, nom: &str, dtype: DataType) -> Expr {
    if table.a(nom) {
        if dtype == DataType::Float64 {
            valeur(nom).alias(nom)
        } else {
            texte(nom).alias(nom)
        }
    } else {
        lit(NULL).cast(dtype).alias(nom)
    }
}

type Verifie = Result<DataFrame, Vec<Probleme>>;

fn typer(table: &TableBrute) -> PolarsResult<Verifie> {
    let mut problemes = verifier_nombres(
        table,
        if table.a("population") {
            &["population"]
        } else {
            &[]
        },
    )?;
    // Required cells left blank.
    for (nom, attendu) in [
        ("code_qpv", "un code QPV (QP092012, QN09211M)"),
        ("nom_qpv", "le nom du quartier"),
        ("code_commune", "un code commune INSEE (92004)"),
    ] {
        problemes.extend(signaler(
            table,
            texte(nom).is_null(),
            nom,
            &format!("cellule {nom} vide"),
            attendu,
        )?);
    }
    if !problemes.is_empty() {
        return Ok(Err(problemes));
    }
    let a_noms = table.a("nom_commune");
    // Multi-commune cells: codes separated by `;` or `,`, names by `;`.
    let codes = col("code_commune")
        .str()
        .replace_all(lit(","), lit(";"), true)
        .str()
        .split(lit(";"));
    let mut selection = vec![
        col(LIGNE),
        texte("code_qpv").str().to_uppercase().alias("code_qpv"),
        texte("nom_qpv").alias("nom_qpv"),
        codes.alias("code_commune"),
    ];
    let mut a_eclater = vec!["code_commune"];
    if a_noms {
        selection.push(
            col("nom_commune")
                .str()
                .split(lit(";"))
                .alias("nom_commune"),
        );
        a_eclater.push("nom_commune");
    }
    selection.extend([
        facultatif(table, "code_ept", DataType::String),
        facultatif(table, "nom_ept", DataType::String),
        facultatif(table, "population", DataType::Float64),
    ]);
    let eclate = table
        .frame
        .clone()
        .lazy()
        .select(selection)
        .explode(
            by_name(a_eclater, true, false),
            ExplodeOptions {
                empty_as_null: true,
                keep_nulls: true,
            },
        )
        .collect();
    let eclate = match eclate {
        Ok(f) => f,
        Err(_) => {
            return Ok(Err(vec![Probleme::new(
                &table.fichier,
                "les cellules à plusieurs communes n'ont pas autant de noms (nom_commune) que de codes (code_commune)",
            )
            .attendu("autant de noms que de codes, séparés par « ; »")]))
        }
    };
    let nom_commune = if a_noms {
        texte("nom_commune")
    } else {
        lit(NULL).cast(DataType::String)
    };
    let frame = eclate
        .lazy()
        .with_columns([
            texte("code_commune").alias("code_commune"),
            nom_commune.alias("nom_commune"),
        ])
        .select([
            col("code_qpv"),
            col("nom_qpv"),
            col("code_commune"),
            col("nom_commune"),
            col("code_ept"),
            col("nom_ept"),
            col("population"),
            col(LIGNE),
        ])
        .collect()?;
    Ok(Ok(frame))
}
