//! The QPV referential: one row per QPV and commune, multi-commune cells
//! (`"92007; 92014"`, as in the ANCT list) split into one row per commune.

use std::path::PathBuf;

use polars::prelude::*;

use super::entetes::Colonne;
use super::valeurs::{est_code_commune, texte, valeur, verifier_nombres};
use super::{lire_tables, signaler, TableBrute};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::LIGNE;
use crate::modele::Referentiel;

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

/// INSEE's composition of the EPT (`CODGEO; LIBGEO; EPT; LIBEPT; DEP; REG`).
pub const COLONNES_EPT: [Colonne; 6] = [
    Colonne::obligatoire(
        "code_commune",
        &["codgeo", "insee_com", "code_insee", "depcom"],
    ),
    Colonne::facultative("nom_commune", &["libgeo", "lib_com"]),
    Colonne::obligatoire("code_ept", &["ept"]),
    Colonne::facultative("nom_ept", &["libept", "lib_ept"]),
    Colonne::facultative("departement", &["dep"]),
    Colonne::facultative("region", &["reg"]),
];

/// Reads INSEE's EPT composition: one row per commune; communes outside
/// any EPT (blank, or INSEE's `ZZZZZZZZZ`) are left out.
fn lire_composition(fichiers: &[PathBuf]) -> Resultat<(Option<DataFrame>, Vec<TableBrute>)> {
    if fichiers.is_empty() {
        return Ok((None, Vec::new()));
    }
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES_EPT)?;
    let mut frames = Vec::new();
    for t in &tables {
        problemes.extend(signaler(
            t,
            est_code_commune(texte("code_commune"))
                .not()
                .fill_null(lit(true)),
            "code_commune",
            "code commune illisible",
            "un code INSEE de commune (92004)",
        )?);
        let ept = texte("code_ept");
        frames.push(
            t.frame
                .clone()
                .lazy()
                .select([
                    texte("code_commune").alias("code_commune"),
                    facultatif(t, "nom_commune", DataType::String),
                    ept.clone().alias("code_ept"),
                    facultatif(t, "nom_ept", DataType::String),
                ])
                .filter(
                    ept.clone()
                        .is_not_null()
                        .and(ept.str().contains(lit("^Z+$"), true).not()),
                ),
        );
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    let composition = concat(frames, UnionArgs::default())?
        .unique_stable(
            Some(by_name(["code_commune"], true, false)),
            UniqueKeepStrategy::First,
        )
        .collect()?;
    Ok((Some(composition), tables))
}

/// Reads and checks every referential file, as one table, with INSEE's EPT
/// composition when given (it fills the referential's missing EPT).
pub fn lire(
    fichiers: &[PathBuf],
    composition: &[PathBuf],
) -> Resultat<(Referentiel, Vec<TableBrute>)> {
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
    )?;
    let (composition_ept, tables_ept) = lire_composition(composition)?;
    let lignes = match &composition_ept {
        Some(c) => {
            let ordre: Vec<Expr> = lignes
                .clone()
                .collect_schema()?
                .iter_names()
                .map(|n| col(n.clone()))
                .collect();
            let de_l_insee = c.clone().lazy().select([
                col("code_commune"),
                col("code_ept").alias("code_ept_insee"),
                col("nom_ept").alias("nom_ept_insee"),
            ]);
            lignes
                .join(
                    de_l_insee,
                    [col("code_commune")],
                    [col("code_commune")],
                    JoinArgs::new(JoinType::Left),
                )
                .with_columns([
                    col("code_ept").fill_null(col("code_ept_insee")),
                    col("nom_ept").fill_null(col("nom_ept_insee")),
                ])
                .select(ordre)
        }
        None => lignes,
    }
    .collect()?;
    let mut tables = tables;
    tables.extend(tables_ept);
    Ok((
        Referentiel {
            lignes,
            composition_ept,
        },
        tables,
    ))
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

/// The referential's cells: population a number, required cells filled.
fn cellules_invalides(table: &TableBrute) -> PolarsResult<Vec<Probleme>> {
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
    Ok(problemes)
}

fn typer(table: &TableBrute) -> PolarsResult<Verifie> {
    let problemes = cellules_invalides(table)?;
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
