//! France Travail job seekers, detail level (`demandeurs_emploi_detail*`):
//! one row per job seeker and quarter, tens of millions of rows nationally.
//!
//! Read by polars' streaming engine in one pass and bounded memory: the rows
//! are counted per quarter × commune × QPV with each public's condition
//! (DOMAIN.md), and the small result becomes the same long table as the
//! aggregated export (QPV, commune and département rows). Values are read
//! typed; only when that fails (or a key is unreadable) does a second pass
//! read the files as text to name every faulty line and column.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars_core::query_result::QueryResult;

use super::entetes::Colonne;
use super::texte;
use super::valeurs::{est_code_commune, periode_index};
use super::{lire_entete, Enregistrement, TableBrute};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::*;
use crate::modele::{departements, niveaux, Statut, PUBLICS_DE};

pub const COLONNES: [Colonne; 8] = [
    Colonne::obligatoire("periode", &["trimestre", "date"]),
    Colonne::obligatoire(
        "code_commune",
        &["insee_com", "codgeo", "code_insee", "depcom"],
    ),
    Colonne::obligatoire("code_qpv", &["code_qp", "code_quartier", "qpv"]),
    Colonne::obligatoire("age", &[]),
    Colonne::obligatoire("anciennete_mois", &["anciennete", "anciennete_inscription"]),
    Colonne::obligatoire("niveau_formation", &["nivfor", "niveau_de_formation"]),
    Colonne::obligatoire("diplome", &[]),
    Colonne::facultative("categorie", &["cat", "categorie_inscription"]),
];

/// Integer columns, with the values they may take.
const ENTIERS: [(&str, i32, i32, &str); 4] = [
    ("age", 14, 99, "un âge en années, de 14 à 99"),
    (
        "anciennete_mois",
        0,
        1200,
        "une ancienneté en mois, de 0 à 1200",
    ),
    (
        "niveau_formation",
        1,
        8,
        "un niveau de formation de 1 à 8 (nomenclature nationale 2019)",
    ),
    ("diplome", 0, 1, "0 (sans diplôme) ou 1"),
];

/// Errors named per file before the reading stops looking.
const ERREURS_MAX: usize = 20;

/// One detail file: where its columns are.
struct Source {
    fichier: PathBuf,
    separateur: u8,
    /// Canonical column → header as written.
    noms: BTreeMap<&'static str, String>,
    table: TableBrute,
}

/// The header of a detail file, read from its first bytes only.
fn ouvrir(fichier: &Path) -> Resultat<Source> {
    let mut debut = Vec::with_capacity(64 << 10);
    std::fs::File::open(fichier)
        .and_then(|f| f.take(64 << 10).read_to_end(&mut debut))
        .map_err(Erreur::acces(fichier, "lecture"))?;
    let premiere = debut
        .iter()
        .position(|&o| o == b'\n')
        .map_or(&debut[..], |i| &debut[..i]);
    let (entete, encodage) = texte::decoder(premiere);
    if let Err(e) = std::str::from_utf8(&debut) {
        // A multi-byte character split at the 64 KiB boundary is no error.
        let coupe = e.error_len().is_none() && debut.len() == 64 << 10;
        if !coupe {
            return Err(Erreur::Donnees(vec![Probleme::new(
                fichier,
                "export détaillé dans un autre encodage que UTF-8",
            )
            .attendu("un fichier UTF-8 (avec ou sans BOM), lu en flux ; convertir par exemple avec « iconv -f WINDOWS-1252 -t UTF-8 »")]));
        }
    }
    if entete.trim().is_empty() {
        return Err(Erreur::Donnees(vec![Probleme::new(
            fichier,
            "fichier vide",
        )
        .attendu("une ligne d'en-tête puis une ligne par demandeur d'emploi")]));
    }
    let separateur = texte::separateur(&entete);
    let champs: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(separateur)
        .from_reader(entete.trim_end_matches('\r').as_bytes())
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    let entete_lue = lire_entete(
        fichier,
        &Enregistrement {
            ligne: 1,
            champs: champs.clone(),
        },
        &COLONNES,
    )?;
    let noms = entete_lue
        .positions
        .iter()
        .map(|(c, &i)| (*c, champs[i - 1].clone()))
        .collect();
    let table = TableBrute::sans_donnees(
        fichier,
        encodage,
        separateur,
        entete_lue.positions,
        entete_lue.ignorees,
    );
    Ok(Source {
        fichier: fichier.to_path_buf(),
        separateur,
        noms,
        table,
    })
}

/// The file as a lazy scan, its columns under their canonical names;
/// `types` says how the integer columns are read; `lignes` adds the row
/// index (which costs the fast path its speed).
fn scanner(source: &Source, types: DataType, lignes: bool) -> Resultat<LazyFrame> {
    let chemin = source.fichier.to_str().ok_or_else(|| {
        Erreur::Donnees(vec![Probleme::new(
            &source.fichier,
            "chemin de fichier non UTF-8",
        )])
    })?;
    // Every column as text, the integers in `types`: polars parses them
    // while it reads, the fast path.
    let schema: Schema = source
        .noms
        .iter()
        .map(|(c, nom)| {
            let dtype = if ENTIERS.iter().any(|(e, ..)| e == c) {
                types.clone()
            } else {
                DataType::String
            };
            Field::new(nom.as_str().into(), dtype)
        })
        .collect();
    let lf = LazyCsvReader::new(PlRefPath::new(chemin))
        .with_separator(source.separateur)
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_dtype_overwrite(Some(Arc::new(schema)))
        .with_row_index(lignes.then(|| RowIndex {
            name: LIGNE.into(),
            offset: 0,
        }))
        .with_missing_is_null(true)
        .finish()?;
    let mut colonnes = if lignes { vec![col(LIGNE)] } else { Vec::new() };
    colonnes.extend(
        source
            .noms
            .iter()
            .map(|(c, nom)| col(nom.as_str()).alias(*c)),
    );
    if !source.noms.contains_key("categorie") {
        colonnes.push(lit(NULL).cast(DataType::String).alias("categorie"));
    }
    Ok(lf.select(colonnes))
}

/// Rows of categories D and E (written exactly so), left out; rows
/// without category (column absent or blank) are counted.
fn hors_abc() -> Expr {
    let c = col("categorie");
    c.clone()
        .eq(lit("D"))
        .or(c.eq(lit("E")))
        .fill_null(lit(false))
}

/// A category written otherwise than `A` to `E`: an error, located by the
/// second pass (counting it in or out would be a guess). `D` and `E` are
/// spared the test where [`hors_abc`] has left them out already.
fn categorie_inconnue(apres_filtre: bool) -> Expr {
    let c = col("categorie");
    let connues: &[&str] = if apres_filtre {
        &["A", "B", "C"]
    } else {
        &["A", "B", "C", "D", "E"]
    };
    connues
        .iter()
        .fold(c.clone().is_not_null(), |e, v| {
            e.and(c.clone().neq(lit(*v)))
        })
        .fill_null(lit(false))
}

/// Each public's condition on a row, in the order of [`PUBLICS_DE`]
/// (`None`: every row, `de_abc`).
fn conditions() -> [Option<Expr>; 6] {
    [
        None,
        Some(col("age").lt(lit(26))),
        Some(col("age").gt_eq(lit(50))),
        Some(col("anciennete_mois").gt_eq(lit(12))),
        Some(col("niveau_formation").lt_eq(lit(3))),
        Some(col("diplome").eq(lit(0))),
    ]
}

/// A missing integer, or one outside its range.
fn hors_limites(n: Expr, bas: i32, haut: i32) -> Expr {
    n.clone()
        .is_null()
        .or(n.clone().lt(lit(bas)))
        .or(n.gt(lit(haut)))
}

/// Counts per quarter × commune × QPV as written, with the number of rows
/// whose integers are missing: one streaming pass over every file.
fn compter(sources: &[Source]) -> Resultat<DataFrame> {
    let scans = sources
        .iter()
        .map(|s| scanner(s, DataType::Int32, false))
        .collect::<Resultat<Vec<_>>>()?;
    let mut agregats: Vec<Expr> = PUBLICS_DE
        .iter()
        .zip(conditions())
        .map(|(p, c)| match c {
            Some(c) => c.cast(DataType::UInt32).sum().alias(*p),
            None => len().alias(*p),
        })
        .collect();
    // One count per group of the rows whose integers are missing or out of
    // range: the faulty rows are found by the second pass.
    agregats.push(
        ENTIERS
            .iter()
            .map(|(c, bas, haut, _)| hors_limites(col(*c), *bas, *haut))
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(false))
            .cast(DataType::UInt32)
            .sum()
            .alias("incomplets"),
    );
    agregats.push(
        categorie_inconnue(true)
            .cast(DataType::UInt32)
            .sum()
            .alias("categories_inconnues"),
    );
    let requete = concat(scans, UnionArgs::default())?
        .filter(hors_abc().not())
        .group_by([col(PERIODE), col(CODE_COMMUNE), col("code_qpv")])
        .agg(agregats);
    let comptes = match requete.collect_with_engine(Engine::Streaming)? {
        QueryResult::Single(df) => df,
        QueryResult::Multiple(_) => {
            return Err(Erreur::Interne {
                contexte: "lecture de l'export détaillé",
                message: "plusieurs résultats pour une seule requête".into(),
            })
        }
    };
    Ok(comptes)
}

/// A code as written, trimmed; null when blank.
fn code(c: &str) -> Expr {
    let t = col(c).str().strip_chars(lit(NULL));
    when(t.clone().str().len_chars().gt(lit(0)))
        .then(t)
        .otherwise(lit(NULL).cast(DataType::String))
}

/// The files of `sources`, as one name for a message.
fn fichiers_lus(sources: &[Source]) -> PathBuf {
    let noms: Vec<String> = sources
        .iter()
        .map(|s| s.table.fichier.display().to_string())
        .collect();
    PathBuf::from(noms.join(", "))
}

/// Second pass, as text: every faulty row of each file (up to
/// [`ERREURS_MAX`] per file), with its line and column.
fn localiser(sources: &[Source]) -> Resultat<Vec<Probleme>> {
    let mut problemes = Vec::new();
    for source in sources {
        let mut tests: Vec<(&str, Expr, String)> = vec![
            (
                PERIODE,
                periode_index(PERIODE).is_null(),
                "un trimestre (2020T4, 2020-T4, T4 2020, 2020Q4, 4e trimestre 2020)".into(),
            ),
            (
                CODE_COMMUNE,
                est_code_commune(code(CODE_COMMUNE))
                    .not()
                    .fill_null(lit(true)),
                "un code INSEE de commune, par exemple 92050".into(),
            ),
        ];
        for (c, bas, haut, attendu) in ENTIERS {
            let n = col(c).str().strip_chars(lit(NULL)).cast(DataType::Int32);
            tests.push((c, hors_limites(n, bas, haut), attendu.to_string()));
        }
        tests.push((
            "categorie",
            categorie_inconnue(false),
            "A, B, C, D ou E (vide : catégorie A, B ou C)".into(),
        ));
        let filtre = tests
            .iter()
            .map(|(_, e, _)| e.clone())
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(false));
        let mut selection = vec![col(LIGNE)];
        for (c, e, _) in &tests {
            selection.push(col(*c).alias(format!("{c}_texte")));
            selection.push(e.clone().alias(format!("{c}_faux")));
        }
        let fautifs = scanner(source, DataType::String, true)?
            .filter(filtre)
            .select(selection)
            .limit(ERREURS_MAX as IdxSize)
            .collect()
            .map_err(|e| Erreur::Illisible {
                fichier: source.table.fichier.clone(),
                source: e,
            })?;
        let lignes = fautifs.column(LIGNE)?.cast(&DataType::UInt64)?;
        let lignes = lignes.u64()?;
        for i in 0..fautifs.height() {
            // The header is line 1; rows follow one per line.
            let ligne = lignes.get(i).unwrap_or(0) as usize + 2;
            for (c, _, attendu) in &tests {
                let faux = fautifs.column(&format!("{c}_faux"))?.bool()?.get(i);
                if faux != Some(true) {
                    continue;
                }
                let trouve = fautifs
                    .column(&format!("{c}_texte"))?
                    .str()?
                    .get(i)
                    .unwrap_or("")
                    .to_string();
                let mut p = Probleme::new(&source.fichier, format!("{c} illisible"))
                    .ligne(ligne)
                    .colonne(source.table.position(c))
                    .attendu(attendu.clone());
                if !trouve.trim().is_empty() {
                    p = p.trouve(trouve);
                }
                problemes.push(p);
            }
        }
    }
    Ok(problemes)
}

fn publics_cols() -> impl Iterator<Item = Expr> {
    PUBLICS_DE.iter().map(|p| col(*p))
}

/// The counts as the aggregated export's long table: QPV (whole, and by
/// commune when a QPV lies on several), commune and département rows.
fn en_long(comptes: DataFrame, fichier: u32) -> PolarsResult<DataFrame> {
    let publics: Vec<Expr> = PUBLICS_DE.iter().map(|p| col(*p).sum()).collect();
    let lf = comptes
        .lazy()
        .with_columns([
            periode_index(PERIODE).alias(PERIODE),
            code(CODE_COMMUNE).alias(CODE_COMMUNE),
            code("code_qpv").alias("code_qpv"),
        ])
        .group_by([col(PERIODE), col(CODE_COMMUNE), col("code_qpv")])
        .agg(publics.clone());
    let en_qpv = lf.clone().filter(col("code_qpv").is_not_null());
    let qpv_entiers = en_qpv
        .clone()
        .group_by([col(PERIODE), col("code_qpv")])
        .agg(publics.clone())
        .select(
            [
                col(PERIODE),
                lit(niveaux::QPV).alias(NIVEAU),
                col("code_qpv").alias(CODE),
                lit(NULL).cast(DataType::String).alias(CODE_COMMUNE),
            ]
            .into_iter()
            .chain(publics_cols())
            .collect::<Vec<_>>(),
        );
    let qpv_parties = en_qpv
        .with_column(
            col(CODE_COMMUNE)
                .n_unique()
                .over([col(PERIODE), col("code_qpv")])?
                .alias("n"),
        )
        .filter(col("n").gt(lit(1)))
        .select(
            [
                col(PERIODE),
                lit(niveaux::QPV).alias(NIVEAU),
                col("code_qpv").alias(CODE),
                col(CODE_COMMUNE),
            ]
            .into_iter()
            .chain(publics_cols())
            .collect::<Vec<_>>(),
        );
    let par = |niveau: &'static str, cle: Expr| {
        lf.clone()
            .group_by([col(PERIODE), cle.alias(CODE)])
            .agg(publics.clone())
            .select(
                [
                    col(PERIODE),
                    lit(niveau).alias(NIVEAU),
                    col(CODE),
                    lit(NULL).cast(DataType::String).alias(CODE_COMMUNE),
                ]
                .into_iter()
                .chain(publics_cols())
                .collect::<Vec<_>>(),
            )
    };
    let communes = par(niveaux::COMMUNE, col(CODE_COMMUNE));
    let departements = par(
        niveaux::DEPARTEMENT,
        departements::expr_departement(col(CODE_COMMUNE)),
    );
    let larges = concat(
        [qpv_entiers, qpv_parties, communes, departements],
        UnionArgs::default(),
    )?;
    let longues: Vec<LazyFrame> = PUBLICS_DE
        .iter()
        .map(|p| {
            larges.clone().select([
                col(PERIODE),
                col(NIVEAU),
                col(CODE),
                col(CODE_COMMUNE),
                lit(NULL).cast(DataType::String).alias(LIBELLE),
                lit(*p).alias(INDICATEUR),
                col(*p).cast(DataType::Float64).alias(VALEUR),
                lit(Statut::Valeur.code())
                    .cast(DataType::UInt32)
                    .alias(STATUT),
                lit(0u32).cast(DataType::UInt32).alias(LIGNE),
                lit(fichier).cast(DataType::UInt32).alias("fichier"),
            ])
        })
        .collect();
    concat(longues, UnionArgs::default())?
        .sort(
            [PERIODE, NIVEAU, CODE, CODE_COMMUNE, INDICATEUR],
            SortMultipleOptions::default().with_nulls_last(false),
        )
        .collect()
}

/// Reads the detail files into the long table of the aggregated export
/// (`fichier`: the index given to the rows, for messages), with a
/// [`TableBrute`] per file for the log and the manifest.
pub fn lire(fichiers: &[PathBuf], fichier: u32) -> Resultat<(DataFrame, Vec<TableBrute>)> {
    let mut sources = Vec::new();
    let mut problemes = Vec::new();
    for f in fichiers {
        match ouvrir(f) {
            Ok(s) => sources.push(s),
            Err(Erreur::Donnees(p)) => problemes.extend(p),
            Err(e) => return Err(e),
        }
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    // The fast pass fails on an unreadable integer; then, as when a key or a
    // value is missing, the second pass names the rows.
    let comptes = compter(&sources);
    let incorrect = match &comptes {
        Ok(df) => {
            let incomplets = df.column("incomplets")?.u32()?.sum().unwrap_or(0)
                + df.column("categories_inconnues")?.u32()?.sum().unwrap_or(0);
            let cles = df
                .clone()
                .lazy()
                .filter(
                    periode_index(PERIODE)
                        .is_null()
                        .or(code(CODE_COMMUNE).is_null()),
                )
                .collect()?
                .height();
            incomplets > 0 || cles > 0
        }
        Err(Erreur::Calcul(_)) => true,
        Err(_) => false,
    };
    if incorrect {
        let problemes = localiser(&sources)?;
        if !problemes.is_empty() {
            return Err(Erreur::Donnees(problemes));
        }
    }
    // A polars failure that the second pass could not place: the export
    // is unreadable as a whole.
    let comptes = comptes.map_err(|e| match e {
        Erreur::Calcul(source) => Erreur::Illisible {
            fichier: fichiers_lus(&sources),
            source,
        },
        autre => autre,
    })?;
    let tables = sources.into_iter().map(|s| s.table).collect();
    Ok((en_long(comptes, fichier)?, tables))
}
