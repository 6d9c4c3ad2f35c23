//! Cell parsing as polars expressions: numbers written the French way,
//! conventional signs turned into statuses, quarters in every spelling.
//!
//! Cells are read as text. A cell is one of *value / secret / not available
//! / not applicable*: the status and the number are two expressions over
//! the same cell, and a number is only ever taken where the status says
//! "value". Casts are non-strict and checked separately, because
//! `when/then` evaluates both branches on every row.

use polars::prelude::*;

use crate::erreur::Probleme;
use crate::modele::colonnes::LIGNE;
use crate::modele::Statut;

/// A text column of `t`, null when the file has none.
pub fn ou_vide(t: &super::TableBrute, colonne: &str) -> Expr {
    if t.a(colonne) {
        texte(colonne)
    } else {
        lit(NULL).cast(DataType::String)
    }
}

/// True where `e` is written as a commune's INSEE code (`92050`, `2A004`),
/// null where `e` is.
pub fn est_code_commune(e: Expr) -> Expr {
    e.str().contains(lit(r"^(\d{5}|2[AB]\d{3})$"), true)
}

/// True where `e` is one of `valeurs`.
pub fn parmi(e: Expr, valeurs: &[&str]) -> Expr {
    valeurs
        .iter()
        .map(|s| e.clone().eq(lit(*s)))
        .reduce(|a, b| a.or(b))
        .unwrap_or_else(|| lit(false))
}

/// Conventional signs of French statistical tables.
pub const SIGNES_SECRET: [&str; 2] = ["s", "secret"];
pub const SIGNES_NON_DISPONIBLE: [&str; 9] =
    ["nd", "n.d.", "n.d", "n/d", "...", "…", "n.s.", "ns", "n.s"];
pub const SIGNES_NON_APPLICABLE: [&str; 1] = ["///"];

/// Status code (see [`Statut`]) of a raw cell. A blank cell is not
/// available: it is never read as 0. Matched on the raw cell, each sign
/// spelling trimmed and in any case: a cleaned copy of the cell would be
/// computed again for every comparison (polars evaluates each branch of a
/// `when/then` in full), and this expression runs on every number cell.
pub fn statut(colonne: &str) -> Expr {
    let est = |signes: &[&str]| {
        let motif = signes
            .iter()
            .map(|s| echapper(s))
            .collect::<Vec<_>>()
            .join("|");
        col(colonne)
            .str()
            .contains(lit(format!(r"(?i)^\s*(?:{motif})\s*$")), true)
    };
    when(col(colonne).is_null().or(est(&[""])))
        .then(lit(Statut::NonDisponible.code()))
        .when(est(&SIGNES_SECRET))
        .then(lit(Statut::Secret.code()))
        .when(est(&SIGNES_NON_DISPONIBLE))
        .then(lit(Statut::NonDisponible.code()))
        .when(est(&SIGNES_NON_APPLICABLE))
        .then(lit(Statut::NonApplicable.code()))
        .otherwise(lit(Statut::Valeur.code()))
        .cast(DataType::UInt32)
}

/// `texte` as a regular expression matching itself.
fn echapper(texte: &str) -> String {
    let mut motif = String::new();
    for c in texte.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            motif.push('\\');
        }
        motif.push(c);
    }
    motif
}

/// The number in a cell written the French way: `127 479` (space, U+00A0 or
/// U+202F), `2 800 000,00`, `11,0 %`, `2 800 000 €`. Null when the cell is
/// not a number.
pub fn nombre_brut(colonne: &str) -> Expr {
    col(colonne)
        .str()
        .replace_all(lit(r"[\s€%]"), lit(""), false)
        .str()
        .replace_all(lit(","), lit("."), true)
        .cast(DataType::Float64)
}

/// The value of a cell where its status is "value", else null.
pub fn valeur(colonne: &str) -> Expr {
    when(statut(colonne).eq(lit(Statut::Valeur.code())))
        .then(nombre_brut(colonne))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// Index of the quarter (year × 4 + quarter − 1) in any accepted spelling
/// (same rules as `Periode::lire`: `2020T4`, `2020-T4`, `T4 2020`, `2020Q4`,
/// `4e trimestre 2020`, trimmed, any case), null when unreadable. Year and
/// quarter are extracted from the raw cell by each spelling's expression:
/// rewriting the cell first (regex replacement with groups) cost four times
/// as much, on every row of every export.
pub fn periode_index(colonne: &str) -> Expr {
    // (spelling, group of the year, group of the quarter)
    const GRAPHIES: [(&str, usize, usize); 3] = [
        (r"(\d{4})\s*[-_ ]?\s*[TQ]([1-4])", 1, 2),
        (r"[TQ]([1-4])[\s_-]*(\d{4})", 2, 1),
        (r"([1-4])\s*(?:E|ER|ÈME|EME)\s+TRIMESTRE\s+(\d{4})", 2, 1),
    ];
    let partie = |annee: bool| {
        let groupes: Vec<Expr> = GRAPHIES
            .iter()
            .map(|(motif, a, t)| {
                col(colonne)
                    .str()
                    .extract(
                        lit(format!(r"(?i)^\s*(?:{motif})\s*$")),
                        if annee { *a } else { *t },
                    )
                    .cast(DataType::Int32)
            })
            .collect();
        coalesce(&groupes)
    };
    partie(true) * lit(4) + partie(false) - lit(1)
}

/// A text cell trimmed, blank turned into null.
pub fn texte(colonne: &str) -> Expr {
    let t = col(colonne).str().strip_chars(lit(NULL));
    when(t.clone().eq(lit("")))
        .then(lit(NULL).cast(DataType::String))
        .otherwise(t)
}

/// A label cell in the canonical form of header matching (lower case,
/// accents removed, other characters turned into `_`): "En instruction" and
/// "en_instruction", "Refusé" and "refuse" are the same value.
pub fn valeur_normalisee(colonne: &str) -> Expr {
    let mut e = col(colonne).str().to_lowercase();
    for (accents, lettre) in [
        ("[àâäáã]", "a"),
        ("[ç]", "c"),
        ("[éèêë]", "e"),
        ("[îïí]", "i"),
        ("[ôöó]", "o"),
        ("[ùûüú]", "u"),
        ("[ÿ]", "y"),
    ] {
        e = e.str().replace_all(lit(accents), lit(lettre), false);
    }
    e.str()
        .replace_all(lit(r"œ"), lit("oe"), true)
        .str()
        .replace_all(lit(r"[^a-z0-9]+"), lit("_"), false)
        .str()
        .strip_chars(lit("_"))
}

/// Located problems of the number columns of a raw table: a cell that is
/// neither a number nor a conventional sign, or a negative count.
pub fn verifier_nombres(
    table: &super::TableBrute,
    colonnes: &[&'static str],
) -> PolarsResult<Vec<Probleme>> {
    let mut problemes = Vec::new();
    for &c in colonnes {
        let fautifs = table
            .frame
            .clone()
            .lazy()
            .select([
                col(LIGNE),
                col(c).alias("brut"),
                statut(c).alias("st"),
                nombre_brut(c).alias("v"),
            ])
            .filter(
                col("st")
                    .eq(lit(Statut::Valeur.code()))
                    .and(col("v").is_null().or(col("v").lt(lit(0.0)))),
            )
            .collect()?;
        let lignes = fautifs.column(LIGNE)?.u32()?;
        let bruts = fautifs.column("brut")?.str()?;
        let valeurs = fautifs.column("v")?.f64()?;
        for ((ligne, brut), v) in lignes.iter().zip(bruts.iter()).zip(valeurs.iter()) {
            let message = if v.is_some() {
                "effectif négatif"
            } else {
                "nombre illisible"
            };
            problemes.push(
                table.probleme(format!("{message} dans la colonne {c}"))
                    .ligne(ligne.unwrap_or(0) as usize)
                    .colonne(table.position(c))
                    .attendu("un nombre positif (127 479, 2 800 000,00) ou un signe conventionnel (s, nd, ..., ///)")
                    .trouve(brut.unwrap_or("")),
            );
        }
    }
    Ok(problemes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evaluer(cellules: &[&str], e: Expr) -> Series {
        let df = df!["c" => cellules].unwrap();
        df.lazy()
            .select([e.alias("r")])
            .collect()
            .unwrap()
            .column("r")
            .unwrap()
            .as_materialized_series()
            .clone()
    }

    #[test]
    fn nombres_a_la_francaise() {
        let cellules = [
            "127 479",
            "127\u{a0}479",
            "127\u{202f}479",
            "2 800 000,00",
            "11,0 %",
            "2 800 000 €",
            "42",
        ];
        let s = evaluer(&cellules, valeur("c"));
        let v: Vec<Option<f64>> = s.f64().unwrap().iter().collect();
        assert_eq!(
            v,
            vec![
                Some(127479.0),
                Some(127479.0),
                Some(127479.0),
                Some(2_800_000.0),
                Some(11.0),
                Some(2_800_000.0),
                Some(42.0)
            ]
        );
    }

    #[test]
    fn signes_conventionnels_jamais_zero() {
        let cellules = ["s", "nd", "...", "///", "", "  ", "n.s.", "12"];
        let st: Vec<Option<u32>> = evaluer(&cellules, statut("c"))
            .u32()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            st,
            vec![
                Some(3),
                Some(2),
                Some(2),
                Some(1),
                Some(2),
                Some(2),
                Some(2),
                Some(0)
            ]
        );
        let v: Vec<Option<f64>> = evaluer(&cellules, valeur("c"))
            .f64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            v,
            vec![None, None, None, None, None, None, None, Some(12.0)]
        );
    }

    #[test]
    fn periodes() {
        let cellules = [
            "2020T4",
            "2020-T4",
            "T4 2020",
            "T4_2020",
            "2020Q4",
            "4e trimestre 2020",
            "2021T1",
            "2020T5",
            "2020",
        ];
        let v: Vec<Option<i32>> = evaluer(&cellules, periode_index("c"))
            .i32()
            .unwrap()
            .iter()
            .collect();
        let t4 = 2020 * 4 + 3;
        assert_eq!(
            v,
            vec![
                Some(t4),
                Some(t4),
                Some(t4),
                Some(t4),
                Some(t4),
                Some(t4),
                Some(t4 + 1),
                None,
                None
            ]
        );
    }
}
