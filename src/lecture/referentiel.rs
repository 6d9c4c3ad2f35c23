//! The QPV referential: one row per QPV and commune, multi-commune cells
//! (`"92007; 92014"`, as in the ANCT list) split into one row per commune.

use std::path::PathBuf;

use polars::prelude::*;

use super::entetes::Colonne;
use super::valeurs::{est_code_commune, texte, valeur, verifier_nombres};
use super::{lire_tables, signaler, TableBrute};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::LIGNE;
use crate::modele::departements::expr_departement;
use crate::modele::{niveaux, Referentiel};

pub const COLONNES: [Colonne; 9] = [
    Colonne::obligatoire("code_qpv", &["code_qp", "code_quartier"]),
    Colonne::obligatoire("nom_qpv", &["lib_qp", "nom_qp", "libelle_qpv"]),
    Colonne::obligatoire(
        "code_commune",
        &["insee_com", "codgeo", "code_insee", "depcom"],
    ),
    Colonne::facultative("nom_commune", &["lib_com", "libgeo"]),
    Colonne::facultative("code_ept", &["ept"]),
    Colonne::facultative("nom_ept", &["libept"]),
    Colonne::facultative("code_epci", &["siren_epci", "epci"]),
    Colonne::facultative("nom_epci", &["lib_epci", "libepci"]),
    Colonne::facultative("population", &[]),
];

/// INSEE's compositions of the EPT (`CODGEO; LIBGEO; EPT; LIBEPT; DEP;
/// REG`) and of the EPCI (`CODGEO, LIBGEO, EPCI, LIBEPCI, DEP, REG`): one
/// row per commune, with its EPT or its EPCI (or both).
pub const COLONNES_COMPOSITION: [Colonne; 9] = [
    Colonne::obligatoire(
        "code_commune",
        &["codgeo", "insee_com", "code_insee", "depcom"],
    ),
    Colonne::facultative("nom_commune", &["libgeo", "lib_com"]),
    Colonne::facultative("code_ept", &["ept"]),
    Colonne::facultative("nom_ept", &["libept", "lib_ept"]),
    Colonne::facultative("code_epci", &["epci", "siren_epci"]),
    Colonne::facultative("nom_epci", &["libepci", "lib_epci"]),
    Colonne::facultative("nature_epci", &[]),
    Colonne::facultative("departement", &["dep"]),
    Colonne::facultative("region", &["reg"]),
];

/// INSEE's list of the EPCI (sheet `EPCI` of `EPCI_au_01-01-AAAA.xlsx`):
/// each EPCI's nature.
pub const COLONNES_NATURES: [Colonne; 4] = [
    Colonne::obligatoire("code_epci", &["epci", "siren_epci"]),
    Colonne::facultative("nom_epci", &["libepci", "lib_epci"]),
    Colonne::obligatoire("nature_epci", &[]),
    Colonne::facultative("nb_communes", &["nb_com"]),
];

/// The raw intercommunality columns of the referential and compositions,
/// before [`resoudre`] picks each commune's level.
const BRUTES: [&str; 5] = [
    "code_ept",
    "nom_ept",
    "code_epci",
    "nom_epci",
    "nature_epci",
];

/// A code of an intercommunality, or null: blank, or INSEE's `ZZZZZZZZZ`
/// (a commune outside any).
fn code_interco(nom: &str) -> Expr {
    let c = texte(nom);
    when(c.clone().str().contains(lit("^Z+$"), true))
        .then(lit(NULL).cast(DataType::String))
        .otherwise(c)
}

/// Reads INSEE's compositions: one row per commune, its EPT and its EPCI
/// as far as the files give them; the EPCI's natures from the `EPCI`
/// sheets ([`super::classeur::feuilles_annexes`]).
fn lire_composition(fichiers: &[PathBuf]) -> Resultat<(Option<DataFrame>, Vec<TableBrute>)> {
    if fichiers.is_empty() {
        return Ok((None, Vec::new()));
    }
    let (tables, mut problemes) = lire_tables(fichiers, &COLONNES_COMPOSITION)?;
    let mut frames = Vec::new();
    for t in &tables {
        if !t.a("code_ept") && !t.a("code_epci") {
            problemes.push(
                t.probleme("colonne EPT ou EPCI absente de la composition communale")
                    .attendu("une colonne « EPT » (code de l'EPT) ou « EPCI » (SIREN de l'EPCI)"),
            );
            continue;
        }
        problemes.extend(signaler(
            t,
            est_code_commune(texte("code_commune"))
                .not()
                .fill_null(lit(true)),
            "code_commune",
            "code commune illisible",
            "un code INSEE de commune (92004)",
        )?);
        let mut selection = vec![texte("code_commune").alias("code_commune")];
        selection.push(facultatif(t, "nom_commune", DataType::String));
        for c in BRUTES {
            selection.push(if t.a(c) && c.starts_with("code") {
                code_interco(c).alias(c)
            } else {
                facultatif(t, c, DataType::String)
            });
        }
        frames.push(t.frame.clone().lazy().select(selection));
    }
    let (natures, tables_natures) = natures(fichiers, &mut problemes)?;
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    let brute = concat(frames, UnionArgs::default())?
        .group_by_stable([col("code_commune")])
        .agg(
            std::iter::once("nom_commune")
                .chain(BRUTES)
                .map(|c| col(c).drop_nulls().first().alias(c))
                .collect::<Vec<_>>(),
        );
    let composition = completer_natures(brute, natures)?;
    let mut tables = tables;
    tables.extend(tables_natures);
    Ok((Some(resoudre(composition).collect()?), tables))
}

/// The natures of the EPCI (`code_epci`, `nature`) from the `EPCI` sheet
/// of each composition workbook that has one.
fn natures(
    fichiers: &[PathBuf],
    problemes: &mut Vec<Probleme>,
) -> Resultat<(Option<LazyFrame>, Vec<TableBrute>)> {
    let annexes = super::classeur::feuilles_annexes(fichiers, "EPCI");
    let (tables, p) = lire_tables(&annexes, &COLONNES_NATURES)?;
    problemes.extend(p);
    if tables.is_empty() {
        return Ok((None, tables));
    }
    let frames: Vec<LazyFrame> = tables
        .iter()
        .map(|t| {
            t.frame.clone().lazy().select([
                code_interco("code_epci").alias("_epci"),
                texte("nature_epci").str().to_uppercase().alias("_nature"),
            ])
        })
        .collect();
    let natures = concat(frames, UnionArgs::default())?
        .filter(col("_epci").is_not_null())
        .unique_stable(
            Some(by_name(["_epci"], true, false)),
            UniqueKeepStrategy::First,
        );
    Ok((Some(natures), tables))
}

/// `nature_epci` filled from INSEE's list of the EPCI, when given.
fn completer_natures(lf: LazyFrame, natures: Option<LazyFrame>) -> PolarsResult<LazyFrame> {
    let Some(natures) = natures else {
        return Ok(lf);
    };
    let ordre: Vec<Expr> = lf
        .clone()
        .collect_schema()?
        .iter_names()
        .map(|n| col(n.clone()))
        .collect();
    Ok(lf
        .join(
            natures,
            [col("code_epci")],
            [col("_epci")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col("nature_epci").fill_null(col("_nature")))
        .select(ordre))
}

/// Each commune's intercommunality from the raw columns ([`BRUTES`]):
/// its EPT when it has one (inside the Grand Paris the EPT is the level
/// shown, the Métropole being one EPCI over all of them), else its EPCI;
/// the raw columns replaced by [`crate::modele::COLONNES_INTERCO`].
fn resoudre(lf: LazyFrame) -> LazyFrame {
    let ept = || col("code_ept").is_not_null();
    let epci = || col("code_epci").is_not_null();
    let choisir = |si_ept: Expr, si_epci: Expr| {
        when(ept())
            .then(si_ept)
            .when(epci())
            .then(si_epci)
            .otherwise(lit(NULL).cast(DataType::String))
    };
    lf.with_columns([
        choisir(lit(niveaux::EPT), lit(niveaux::EPCI)).alias("niveau_interco"),
        choisir(col("code_ept"), col("code_epci")).alias("code_interco"),
        choisir(col("nom_ept"), nom_d_epci()).alias("nom_interco"),
        choisir(lit("EPT"), col("nature_epci")).alias("nature_interco"),
    ])
    .drop(by_name(BRUTES, true, false))
}

/// An EPCI's name as the documents give it, its nature first when the
/// name does not say it ("CA Roissy Pays de France", "Métropole du Grand
/// Paris", "Nantes Métropole"): INSEE's names carry it, others may not.
fn nom_d_epci() -> Expr {
    let (nom, nature) = (col("nom_epci"), col("nature_epci"));
    let la_dit = nom
        .clone()
        .str()
        .contains(lit(r"(?i)^(ca|cc|cu|communaut)|tropole"), false);
    let prefixe = when(nature.clone().eq(lit("ME")))
        .then(lit("Métropole"))
        .otherwise(nature.clone());
    when(nature.is_not_null().and(la_dit.not()))
        .then(prefixe + lit(" ") + nom.clone())
        .otherwise(nom)
}

/// Reads and checks every referential file, as one table, with INSEE's
/// compositions when given (they fill the referential's missing names,
/// EPT and EPCI); each commune's intercommunality resolved (its EPT, else its EPCI).
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
    let (composition, tables_composition) = lire_composition(composition)?;
    let lignes = resoudre(match &composition {
        Some(c) => avec_la_composition(lignes, c)?,
        None => lignes,
    });
    // How many départements the QPV of each intercommunality lie in, over
    // the whole referential: a département's cut holds only its own, so
    // that the QPV figures of an EPCI over two départements would be a
    // part of them.
    let lignes = lignes
        .with_column(
            expr_departement(col("code_commune"))
                .n_unique()
                .over([col("code_interco")])?
                .cast(DataType::UInt32)
                .alias("departements_interco"),
        )
        .collect()?;
    let mut tables = tables;
    tables.extend(tables_composition);
    Ok((
        Referentiel {
            lignes,
            composition,
        },
        tables,
    ))
}

/// The referential's rows with what INSEE's composition says of their
/// commune where the referential is silent: its name, its EPT or EPCI.
fn avec_la_composition(lignes: LazyFrame, composition: &DataFrame) -> PolarsResult<LazyFrame> {
    let ordre: Vec<Expr> = lignes
        .clone()
        .collect_schema()?
        .iter_names()
        .map(|n| col(n.clone()))
        .collect();
    let si = |niveau: &str, colonne: &str, nom: &str| {
        when(col("niveau_interco").eq(lit(niveau.to_string())))
            .then(col(colonne))
            .otherwise(lit(NULL).cast(DataType::String))
            .alias(nom)
    };
    let de_l_insee = composition.clone().lazy().select([
        col("code_commune"),
        col("nom_commune").alias("_nom_commune"),
        si(niveaux::EPT, "code_interco", "_code_ept"),
        si(niveaux::EPT, "nom_interco", "_nom_ept"),
        si(niveaux::EPCI, "code_interco", "_code_epci"),
        si(niveaux::EPCI, "nom_interco", "_nom_epci"),
        si(niveaux::EPCI, "nature_interco", "_nature_epci"),
    ]);
    let mut remplis = vec![col("nom_commune").fill_null(col("_nom_commune"))];
    remplis.extend(BRUTES.map(|c| col(c).fill_null(col(format!("_{c}")))));
    Ok(lignes
        .join(
            de_l_insee,
            [col("code_commune")],
            [col("code_commune")],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns(remplis)
        .select(ordre))
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
    for c in ["code_ept", "code_epci"] {
        selection.push(if table.a(c) {
            code_interco(c).alias(c)
        } else {
            lit(NULL).cast(DataType::String).alias(c)
        });
    }
    selection.extend([
        facultatif(table, "nom_ept", DataType::String),
        facultatif(table, "nom_epci", DataType::String),
        lit(NULL).cast(DataType::String).alias("nature_epci"),
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
            col("code_epci"),
            col("nom_epci"),
            col("nature_epci"),
            col("population"),
            col(LIGNE),
        ])
        .collect()?;
    Ok(Ok(frame))
}
